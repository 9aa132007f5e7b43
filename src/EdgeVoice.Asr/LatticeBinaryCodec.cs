using System.Buffers.Binary;
using System.Text;

namespace EdgeVoice.Asr;

/// <summary>The compact binary lattice encoding, version 1 (docs/lattice-format.md has the layout).</summary>
internal static class LatticeBinaryCodec
{
    public const byte Version = 1;
    private const byte FlagInt16 = 1;
    private const byte FlagLm = 2;
    private const float MaxScale = 1024f;
    private static readonly byte[] Magic = "EVLT"u8.ToArray();

    public static byte[] Write(WordLattice lattice, LatticeScoreEncoding encoding)
    {
        bool int16 = encoding == LatticeScoreEncoding.ScaledInt16;
        bool lm = lattice.Arcs.Any(a => a.HasLmScore);
        var words = new List<string>();
        var wordIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (LatticeArc a in lattice.Arcs)
        {
            if (!wordIndex.ContainsKey(a.Word))
            {
                wordIndex[a.Word] = words.Count;
                words.Add(a.Word);
            }
        }

        float maxAbs = 0;
        foreach (LatticeArc a in lattice.Arcs)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(a.AcousticScore));
            maxAbs = a.HasLmScore ? Math.Max(maxAbs, Math.Abs(a.LmScore)) : maxAbs;
        }

        foreach (float f in lattice.FinalWeights)
        {
            maxAbs = float.IsNaN(f) ? maxAbs : Math.Max(maxAbs, Math.Abs(f));
        }

        float scale = maxAbs > 0 ? Math.Min(MaxScale, 32767f / maxAbs) : MaxScale;
        var w = new List<byte>(256);
        w.AddRange(Magic);
        w.Add(Version);
        w.Add((byte)((int16 ? FlagInt16 : 0) | (lm ? FlagLm : 0)));
        VarUInt(w, (ulong)Math.Round(lattice.FrameDuration * 1e6));
        Text(w, lattice.Utterance);
        VarUInt(w, (ulong)words.Count);
        foreach (string word in words)
        {
            Text(w, word);
        }

        VarUInt(w, (ulong)lattice.NodeCount);
        VarUInt(w, (ulong)lattice.Arcs.Count);
        if (int16)
        {
            Span<byte> s = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(s, scale);
            w.AddRange(s.ToArray());
        }

        var finals = Enumerable.Range(0, lattice.NodeCount).Where(i => !float.IsNaN(lattice.FinalWeights[i])).ToArray();
        VarUInt(w, (ulong)finals.Length);
        int previous = 0;
        foreach (int node in finals)
        {
            VarUInt(w, (ulong)(node - previous));
            previous = node;
            Score(w, lattice.FinalWeights[node], int16, scale);
        }

        int from = 0;
        foreach (LatticeArc a in lattice.Arcs)
        {
            VarUInt(w, (ulong)(a.From - from));
            from = a.From;
            VarUInt(w, (ulong)(a.To - a.From - 1));
            VarUInt(w, (ulong)wordIndex[a.Word]);
            VarUInt(w, (ulong)a.StartFrame);
            VarUInt(w, (ulong)(a.EndFrame - a.StartFrame));
            Score(w, a.AcousticScore, int16, scale);
            if (lm)
            {
                Score(w, a.LmScore, int16, scale);
            }
        }

        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Compute(w.ToArray()));
        w.AddRange(crc.ToArray());
        return [.. w];
    }

    public static WordLattice Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + 6 || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new LatticeFormatException("Not an EdgeVoice binary lattice: it does not start with \"EVLT\".");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]);
        if (Crc32.Compute(bytes[..^4]) != stored)
        {
            throw new LatticeFormatException("The binary lattice is corrupt or truncated: its CRC-32 does not match.");
        }

        var r = new Reader(bytes[..^4], Magic.Length);
        byte version = r.Byte();
        if (version != Version)
        {
            throw new LatticeFormatException($"The binary lattice has version {version}; this reader understands version {Version}.");
        }

        byte flags = r.Byte();
        if ((flags & ~(FlagInt16 | FlagLm)) != 0)
        {
            throw new LatticeFormatException($"The binary lattice has unknown flags 0x{flags:X2}.");
        }

        bool int16 = (flags & FlagInt16) != 0, lm = (flags & FlagLm) != 0;
        double frameDuration = r.Count(100_000_000) / 1e6;
        string utterance = r.Text();
        int wordCount = r.Count(Math.Min(1_000_000, r.Remaining)); // each word takes at least a byte: no allocation beyond the input's size
        var words = new string[wordCount];
        for (int i = 0; i < wordCount; i++)
        {
            words[i] = r.Text();
        }

        int nodes = r.Count(Math.Min(10_000_000, r.Remaining));
        int arcCount = r.Count(Math.Min(10_000_000, r.Remaining));
        float scale = int16 ? r.Single() : 1f;
        if (int16 && !(scale > 0 && float.IsFinite(scale)))
        {
            throw new LatticeFormatException($"The binary lattice's score scale {scale} is not a positive number.");
        }

        var final = new float[nodes];
        Array.Fill(final, float.NaN);
        int finalCount = r.Count(nodes);
        int node = 0;
        for (int i = 0; i < finalCount; i++)
        {
            node += r.Count(nodes);
            if (node >= nodes)
            {
                throw new LatticeFormatException($"The binary lattice marks node {node} final but has {nodes} nodes.");
            }

            final[node] = r.Score(int16, scale);
        }

        if (wordCount == 0 && arcCount > 0)
        {
            throw new LatticeFormatException($"The binary lattice has {arcCount} arcs but an empty word table.");
        }

        var arcs = new LatticeArc[arcCount];
        int from = 0;
        for (int i = 0; i < arcCount; i++)
        {
            from += r.Count(nodes);
            int to = from + 1 + r.Count(nodes);
            int word = r.Count(wordCount - 1);
            int start = r.Count(int.MaxValue / 2);
            int end = start + r.Count(int.MaxValue / 2);
            float acoustic = r.Score(int16, scale);
            float lmScore = lm ? r.Score(int16, scale) : float.NaN;
            arcs[i] = new LatticeArc(from, to, words[word], start, end, acoustic, lmScore);
        }

        if (!r.AtEnd)
        {
            throw new LatticeFormatException("The binary lattice has bytes after its last arc.");
        }

        return new WordLattice(nodes, arcs, final, frameDuration, utterance);
    }

    private static void VarUInt(List<byte> w, ulong value)
    {
        while (value >= 0x80)
        {
            w.Add((byte)(value | 0x80));
            value >>= 7;
        }

        w.Add((byte)value);
    }

    private static void Text(List<byte> w, string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        VarUInt(w, (ulong)utf8.Length);
        w.AddRange(utf8);
    }

    private static void Score(List<byte> w, float value, bool int16, float scale)
    {
        Span<byte> s = stackalloc byte[4];
        if (int16)
        {
            short q = float.IsNaN(value) ? short.MinValue : (short)Math.Clamp(MathF.Round(value * scale), -32767, 32767);
            BinaryPrimitives.WriteInt16LittleEndian(s, q);
            w.AddRange(s[..2].ToArray());
        }
        else
        {
            BinaryPrimitives.WriteSingleLittleEndian(s, value);
            w.AddRange(s.ToArray());
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data, int position)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position = position;

        public readonly bool AtEnd => _position == _data.Length;

        public readonly int Remaining => _data.Length - _position;

        public byte Byte()
        {
            Need(1);
            return _data[_position++];
        }

        public float Single()
        {
            Need(4);
            float v = BinaryPrimitives.ReadSingleLittleEndian(_data[_position..]);
            _position += 4;
            return v;
        }

        public float Score(bool int16, float scale)
        {
            if (!int16)
            {
                return Single();
            }

            Need(2);
            short q = BinaryPrimitives.ReadInt16LittleEndian(_data[_position..]);
            _position += 2;
            return q == short.MinValue ? float.NaN : q / scale;
        }

        public int Count(int max)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (shift > 35)
                {
                    throw new LatticeFormatException("The binary lattice has a varint longer than 5 bytes.");
                }

                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            if (value > (ulong)Math.Max(max, 0))
            {
                throw new LatticeFormatException($"The binary lattice holds {value} where at most {Math.Max(max, 0)} fits (byte {_position}).");
            }

            return (int)value;
        }

        public string Text()
        {
            int length = Count(1 << 20);
            Need(length);
            string s;
            try
            {
                s = new UTF8Encoding(false, true).GetString(_data.Slice(_position, length));
            }
            catch (DecoderFallbackException e)
            {
                throw new LatticeFormatException($"The binary lattice has invalid UTF-8 text at byte {_position}.", e);
            }

            _position += length;
            return s;
        }

        private readonly void Need(int count)
        {
            if (count > _data.Length - _position)
            {
                throw new LatticeFormatException($"The binary lattice ends early: {count} more bytes needed at byte {_position}.");
            }
        }
    }
}
