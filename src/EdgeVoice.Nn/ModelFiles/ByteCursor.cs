using System.Buffers.Binary;

namespace EdgeVoice.Nn;

/// <summary>Bounds-checked little-endian reads from a byte span; every read reports whether the bytes were there.</summary>
internal ref struct ByteCursor(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; } = position;

    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (_data.Length - Position < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(_data[Position..]);
        Position += 4;
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (_data.Length - Position < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_data[Position..]);
        Position += 8;
        return true;
    }

    public bool TryReadBytes(uint length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if ((uint)(_data.Length - Position) < length)
        {
            return false;
        }

        bytes = _data.Slice(Position, (int)length);
        Position += (int)length;
        return true;
    }
}
