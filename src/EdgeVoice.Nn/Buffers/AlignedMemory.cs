using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Nn;

/// <summary>
/// Zeroed memory that starts on a 64-byte boundary (a pinned array with its first bytes skipped), for weights that
/// kernels read in 32- and 64-byte loads: an aligned load never straddles two cache lines, an unaligned one does every
/// other time and costs two.
/// </summary>
internal static class AlignedMemory
{
    /// <summary><paramref name="length"/> zeroed elements starting on a 64-byte boundary.</summary>
    public static unsafe Memory<T> Allocate<T>(int length)
        where T : unmanaged
    {
        int extra = (64 + sizeof(T) - 1) / sizeof(T);
        T[] array = GC.AllocateArray<T>(length + extra, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int skip = (int)(((64 - (address & 63)) & 63) / (nuint)sizeof(T));
        return new Memory<T>(array, skip, length);
    }
}
