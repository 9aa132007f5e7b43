using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeVoice.Nn;

/// <summary>
/// One 32-byte multiply-accumulate step of the row-blocked x86 int8 kernels (<see cref="DenseInt8Kernel"/>,
/// <see cref="SparseInt8Kernel"/>). The activations are transformed once (<see cref="Prepare"/>) and the result
/// reused against every weight row, so a step costs one instruction on AVX-VNNI and four on AVX2. The kernels are
/// generic over the step (a struct), so the JIT compiles one specialised copy per instruction set.
/// </summary>
internal interface IInt8Step
{
    /// <summary>Whether <see cref="Step"/> reads the signed activations as well as the prepared ones.</summary>
    static abstract bool UsesSignedActivations { get; }

    /// <summary>Whether the sums come out as <c>Σ w·(x + 128)</c>, to be corrected by <c>128·Σ w</c>.</summary>
    static abstract bool AddsZeroPoint { get; }

    /// <summary>The once-per-vector transform of int8 activations.</summary>
    static abstract Vector256<byte> Prepare(Vector256<sbyte> x);

    /// <summary>Adds the 32 products of <paramref name="w"/> with the activations into 8 int32 lanes (4 products each).</summary>
    static abstract Vector256<int> Step(Vector256<int> acc, Vector256<byte> prepared, Vector256<sbyte> x, Vector256<sbyte> w);
}

/// <summary>
/// AVX-VNNI: activations as unsigned bytes <c>x + 128</c> (a bit flip), then <c>vpdpbusd</c>, which sums four
/// u8×s8 products into each int32 lane without saturation. The offset <c>128·Σ w</c> is removed per row afterwards;
/// int32 wrap-around cancels, so the result is exact whenever the true sum fits an int32.
/// </summary>
internal readonly struct VnniStep : IInt8Step
{
    public static bool UsesSignedActivations => false;

    public static bool AddsZeroPoint => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Prepare(Vector256<sbyte> x) => x.AsByte() ^ Vector256.Create((byte)0x80);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Step(Vector256<int> acc, Vector256<byte> prepared, Vector256<sbyte> x, Vector256<sbyte> w) =>
        AvxVnni.MultiplyWideningAndAdd(acc, prepared, w);
}

/// <summary>
/// AVX2: activations as <c>|x|</c>, weights given the activations' signs (<c>vpsignb</c>), then <c>vpmaddubsw</c>
/// (pairs into int16: at most 2·127·127 = 32258, never saturating because values never reach -128) and
/// <c>vpmaddwd</c> by ones into int32.
/// </summary>
internal readonly struct Avx2Step : IInt8Step
{
    public static bool UsesSignedActivations => true;

    public static bool AddsZeroPoint => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Prepare(Vector256<sbyte> x) => Avx2.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Step(Vector256<int> acc, Vector256<byte> prepared, Vector256<sbyte> x, Vector256<sbyte> w) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(prepared, Avx2.Sign(w, x)), Vector256<short>.One));
}
