namespace EdgeVoice.Nn.Simd;

/// <summary>
/// The handful of vector operations the hand-written kernels need, as static members so that a kernel
/// written once as <c>Kernel&lt;TOps, TVec&gt;</c> is specialised by the JIT for each width (the same
/// operator-struct pattern TensorPrimitives uses). Each implementation is one SIMD tier.
/// </summary>
internal interface ISimdOps<TVec>
    where TVec : struct
{
    /// <summary>Number of floats in one vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Broadcast(float value);

    static abstract TVec Load(ref readonly float source);

    static abstract void Store(TVec value, ref float destination);

    /// <summary>a * b + c with a single rounding.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    static abstract float Sum(TVec value);
}
