using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Nn;

/// <summary>
/// A run of int8 values inside the pinned float buffer a model file is read into, exposed as memory without a copy.
/// The buffer is allocated pinned, so pinning is a no-op.
/// </summary>
internal sealed class PinnedByteSlice : MemoryManager<sbyte>
{
    private readonly float[] _store;
    private readonly int _byteOffset;
    private readonly int _length;

    public PinnedByteSlice(float[] store, int byteOffset, int length)
    {
        _store = store;
        _byteOffset = byteOffset;
        _length = length;
    }

    public override Span<sbyte> GetSpan() => MemoryMarshal.Cast<byte, sbyte>(MemoryMarshal.AsBytes(_store.AsSpan()).Slice(_byteOffset, _length));

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetReference(GetSpan()), elementIndex)));
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
