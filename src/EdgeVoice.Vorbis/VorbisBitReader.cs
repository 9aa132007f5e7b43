using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Vorbis;

/// <summary>
/// Reads a Vorbis packet as a stream of bits, least significant bit of each byte first. Reading past the end
/// of the packet returns zeros and sets <see cref="EndOfPacket"/>, the spec's end-of-packet condition.
/// </summary>
internal sealed class VorbisBitReader
{
    private readonly byte[] _data;
    private readonly long _bitLength;
    private long _bitPosition;

    public VorbisBitReader(byte[] data)
    {
        _data = data;
        _bitLength = (long)data.Length * 8;
    }

    /// <summary>True once a read went past the end of the packet.</summary>
    public bool EndOfPacket { get; private set; }

    /// <summary>Bits read so far.</summary>
    public long BitPosition => _bitPosition;

    /// <summary>Bits not yet read.</summary>
    public long RemainingBits => _bitLength - _bitPosition;

    /// <summary>Reads <paramref name="count"/> bits (0..32) as an unsigned number.</summary>
    public uint ReadBits(int count)
    {
        if (count == 0)
        {
            return 0;
        }

        if (_bitPosition + count > _bitLength)
        {
            _bitPosition = _bitLength;
            EndOfPacket = true;
            return 0;
        }

        uint value = PeekBits(count);
        _bitPosition += count;
        return value;
    }

    /// <summary>Reads <paramref name="count"/> bits (0..31) as a non-negative int.</summary>
    public int ReadInt(int count) => (int)ReadBits(count);

    /// <summary>Reads one bit as a flag.</summary>
    public bool ReadFlag() => ReadBits(1) != 0;

    /// <summary>The next <paramref name="count"/> bits (1..32) without consuming them; bits past the end read as zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint PeekBits(int count)
    {
        long bytePos = _bitPosition >> 3;
        int shift = (int)(_bitPosition & 7);
        ulong word;
        if (bytePos + 8 <= _data.Length)
        {
            word = BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan((int)bytePos, 8));
        }
        else
        {
            word = 0;
            for (int i = 0; i < 8 && bytePos + i < _data.Length; i++)
            {
                word |= (ulong)_data[bytePos + i] << (8 * i);
            }
        }

        word >>= shift;
        return count >= 32 ? (uint)word : (uint)word & ((1u << count) - 1);
    }

    /// <summary>Consumes <paramref name="count"/> bits; returns false (and sets end of packet) if fewer remain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Skip(int count)
    {
        if (_bitPosition + count > _bitLength)
        {
            _bitPosition = _bitLength;
            EndOfPacket = true;
            return false;
        }

        _bitPosition += count;
        return true;
    }
}
