namespace EdgeVoice.Vorbis.Tests;

/// <summary>Writes bits least significant first, as the Vorbis bit packer does.</summary>
internal sealed class TestBitWriter
{
    private readonly List<byte> _bytes = [];
    private int _bitCount;

    public TestBitWriter Write(uint value, int bits)
    {
        for (int i = 0; i < bits; i++)
        {
            if (_bitCount % 8 == 0)
            {
                _bytes.Add(0);
            }

            if (((value >> i) & 1) != 0)
            {
                _bytes[^1] |= (byte)(1 << (_bitCount % 8));
            }

            _bitCount++;
        }

        return this;
    }

    /// <summary>Writes a Huffman codeword given as a string of '0' and '1', first bit first.</summary>
    public TestBitWriter WriteCodeword(string codeword)
    {
        foreach (char c in codeword)
        {
            Write(c == '1' ? 1u : 0u, 1);
        }

        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
