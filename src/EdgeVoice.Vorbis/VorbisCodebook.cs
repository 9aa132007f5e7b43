using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// One codebook of the setup header: a Huffman code built from codeword lengths (entries get the lowest
/// free codeword of their length, in entry order) and, for lookup types 1 and 2, the VQ vector of each entry.
/// </summary>
internal sealed class VorbisCodebook
{
    /// <summary>Largest number of entries accepted; libvorbis books stay far below it.</summary>
    public const int MaxEntries = 1 << 18;

    /// <summary>Largest number of VQ values (entries times dimensions) accepted.</summary>
    public const int MaxVectorValues = 1 << 22;

    private const int SyncPattern = 0x564342;
    private const int MaxFastBits = 10;
    private const byte NoFreeSlot = 255;

    private readonly byte[] _lengths;
    private readonly int _singleEntry = -1;
    private readonly int _fastBits;
    private readonly int[] _fastTable = [];
    private readonly int[] _child0 = [];
    private readonly int[] _child1 = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private VorbisCodebook(int dimensions, byte[] lengths, float[]? vectors, string source, int index)
    {
        Dimensions = dimensions;
        _lengths = lengths;
        Vectors = vectors;

        int used = 0;
        int maxLength = 0;
        int lastUsed = -1;
        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] != 0)
            {
                used++;
                lastUsed = i;
                maxLength = Math.Max(maxLength, lengths[i]);
            }
        }

        if (used == 1)
        {
            _singleEntry = lastUsed;
            return;
        }

        if (used == 0)
        {
            return;
        }

        var tree = new HuffmanTreeBuilder(used);
        var codewords = new uint[lengths.Length];
        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] != 0)
            {
                if (!tree.TryInsert(lengths[i], i, out codewords[i]))
                {
                    throw new VorbisFormatException(source, $"codebook {index} has an over-specified Huffman tree (codeword lengths do not fit)");
                }
            }
        }

        _child0 = tree.Child0;
        _child1 = tree.Child1;
        _fastBits = Math.Min(maxLength, MaxFastBits);
        _fastTable = new int[1 << _fastBits];
        Array.Fill(_fastTable, -1);
        for (int i = 0; i < lengths.Length; i++)
        {
            int len = lengths[i];
            if (len == 0 || len > _fastBits)
            {
                continue;
            }

            // The reader yields the first codeword bit in bit 0, so index the table by the reversed codeword.
            uint reversed = ReverseBits(codewords[i], len);
            for (uint fill = reversed; fill < (uint)_fastTable.Length; fill += 1u << len)
            {
                _fastTable[fill] = i;
            }
        }
    }

    /// <summary>Number of scalars in each VQ vector.</summary>
    public int Dimensions { get; }

    /// <summary>Number of entries, used or not.</summary>
    public int Entries => _lengths.Length;

    /// <summary>VQ vectors, <see cref="Dimensions"/> values per entry, or null for a book without lookup.</summary>
    public float[]? Vectors { get; }

    /// <summary>Reads one codebook from the setup header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VorbisCodebook Read(VorbisBitReader reader, string source, int index)
    {
        if (reader.ReadBits(24) != SyncPattern)
        {
            throw new VorbisFormatException(source, $"codebook {index} has a bad sync pattern; the setup header is corrupt");
        }

        int dimensions = reader.ReadInt(16);
        int entries = reader.ReadInt(24);
        if (reader.EndOfPacket)
        {
            throw SetupTruncated(source, index);
        }

        if (dimensions == 0)
        {
            throw new VorbisFormatException(source, $"codebook {index} has zero dimensions");
        }

        if (entries > MaxEntries)
        {
            throw new UnsupportedVorbisFeatureException(source, $"codebook {index} has {entries} entries, more than the decoder limit of {MaxEntries}");
        }

        var lengths = new byte[entries];
        bool ordered = reader.ReadFlag();
        if (!ordered)
        {
            bool sparse = reader.ReadFlag();
            for (int i = 0; i < entries; i++)
            {
                if (!sparse || reader.ReadFlag())
                {
                    lengths[i] = (byte)(reader.ReadBits(5) + 1);
                }

                if (reader.EndOfPacket)
                {
                    throw SetupTruncated(source, index);
                }
            }
        }
        else
        {
            int current = 0;
            int length = reader.ReadInt(5) + 1;
            while (current < entries)
            {
                int count = reader.ReadInt(VorbisMath.ILog(entries - current));
                if (reader.EndOfPacket)
                {
                    throw SetupTruncated(source, index);
                }

                if (length > 32 || count > entries - current)
                {
                    throw new VorbisFormatException(source, $"codebook {index} has an invalid ordered length list");
                }

                lengths.AsSpan(current, count).Fill((byte)length);
                current += count;
                length++;
            }
        }

        int lookupType = reader.ReadInt(4);
        float[]? vectors = null;
        if (lookupType is 1 or 2)
        {
            vectors = ReadVectors(reader, source, index, lookupType, dimensions, entries);
        }
        else if (lookupType != 0)
        {
            throw new VorbisFormatException(source, $"codebook {index} has invalid lookup type {lookupType}");
        }

        if (reader.EndOfPacket)
        {
            throw SetupTruncated(source, index);
        }

        return new VorbisCodebook(dimensions, lengths, vectors, source, index);
    }

    /// <summary>Decodes one entry number; returns -1 at the end of the packet or on a codeword not in the book.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int DecodeEntry(VorbisBitReader reader)
    {
        if (_singleEntry >= 0)
        {
            return reader.Skip(_lengths[_singleEntry]) ? _singleEntry : -1;
        }

        if (_fastTable.Length == 0)
        {
            return -1;
        }

        int entry = _fastTable[reader.PeekBits(_fastBits)];
        if (entry >= 0)
        {
            return reader.Skip(_lengths[entry]) ? entry : -1;
        }

        int node = 0;
        while (true)
        {
            if (reader.RemainingBits <= 0)
            {
                reader.Skip(1);
                return -1;
            }

            int next = reader.ReadBits(1) == 0 ? _child0[node] : _child1[node];
            if (next < 0)
            {
                return ~next;
            }

            if (next == 0)
            {
                return -1;
            }

            node = next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] ReadVectors(VorbisBitReader reader, string source, int index, int lookupType, int dimensions, int entries)
    {
        float minimum = VorbisMath.UnpackFloat(reader.ReadBits(32));
        float delta = VorbisMath.UnpackFloat(reader.ReadBits(32));
        int valueBits = reader.ReadInt(4) + 1;
        bool sequenceP = reader.ReadFlag();
        long valueCount = lookupType == 1 ? VorbisMath.Lookup1Values(entries, dimensions) : (long)entries * dimensions;
        if ((long)entries * dimensions > MaxVectorValues)
        {
            throw new UnsupportedVorbisFeatureException(
                source, $"codebook {index} has {(long)entries * dimensions} VQ values, more than the decoder limit of {MaxVectorValues}");
        }

        if (valueCount * valueBits > reader.RemainingBits)
        {
            throw SetupTruncated(source, index);
        }

        var multiplicands = new uint[valueCount];
        for (long i = 0; i < valueCount; i++)
        {
            multiplicands[i] = reader.ReadBits(valueBits);
        }

        var vectors = new float[entries * dimensions];
        for (int entry = 0; entry < entries; entry++)
        {
            float last = 0;
            long divisor = 1;
            for (int d = 0; d < dimensions; d++)
            {
                long offset = lookupType == 1 ? entry / divisor % valueCount : (long)entry * dimensions + d;
                float value = multiplicands[offset] * delta;
                value += minimum;
                value += last;
                vectors[entry * dimensions + d] = value;
                if (sequenceP)
                {
                    last = value;
                }

                if (lookupType == 1 && divisor <= entries)
                {
                    divisor *= valueCount;
                }
            }
        }

        return vectors;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint ReverseBits(uint value, int length)
    {
        uint result = 0;
        for (int i = 0; i < length; i++)
        {
            result = (result << 1) | ((value >> i) & 1);
        }

        return result;
    }

    private static VorbisFormatException SetupTruncated(string source, int index) =>
        new(source, $"truncated setup header inside codebook {index}");

    /// <summary>
    /// Builds the Huffman tree by giving each entry, in order, the leftmost free slot at its depth. Each node
    /// keeps the shallowest depth at which its subtree still has room, so an insert walks one path.
    /// Child links: 0 = empty, positive = inner node, negative = ~entry for a leaf.
    /// </summary>
    private sealed class HuffmanTreeBuilder
    {
        private byte[] _minFree;
        private int _count;

        public HuffmanTreeBuilder(int usedEntries)
        {
            int capacity = Math.Max(4, usedEntries * 2);
            Child0 = new int[capacity];
            Child1 = new int[capacity];
            _minFree = new byte[capacity];
            _count = 1;
            _minFree[0] = 1;
        }

        public int[] Child0 { get; private set; }

        public int[] Child1 { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryInsert(int length, int entry, out uint codeword)
        {
            codeword = 0;
            if (_minFree[0] > length)
            {
                return false;
            }

            Span<int> path = stackalloc int[33];
            int node = 0;
            int depth = 0;
            while (true)
            {
                path[depth] = node;
                int bit = SlotDepth(Child0[node], depth) <= length ? 0 : 1;
                codeword = (codeword << 1) | (uint)bit;
                int child = bit == 0 ? Child0[node] : Child1[node];
                if (depth + 1 == length)
                {
                    SetChild(node, bit, ~entry);
                    break;
                }

                if (child == 0)
                {
                    child = NewNode(depth + 1);
                    SetChild(node, bit, child);
                }

                node = child;
                depth++;
            }

            for (int d = depth; d >= 0; d--)
            {
                int n = path[d];
                _minFree[n] = (byte)Math.Min(SlotDepth(Child0[n], d), SlotDepth(Child1[n], d));
            }

            return true;
        }

        private int SlotDepth(int child, int parentDepth) =>
            child == 0 ? parentDepth + 1 : child < 0 ? NoFreeSlot : _minFree[child];

        private void SetChild(int node, int bit, int value)
        {
            if (bit == 0)
            {
                Child0[node] = value;
            }
            else
            {
                Child1[node] = value;
            }
        }

        private int NewNode(int depth)
        {
            if (_count == Child0.Length)
            {
                int capacity = _count * 2;
                Child0 = Grow(Child0, capacity);
                Child1 = Grow(Child1, capacity);
                _minFree = Grow(_minFree, capacity);
            }

            int node = _count++;
            _minFree[node] = (byte)(depth + 1);
            return node;
        }

        private static T[] Grow<T>(T[] array, int capacity)
        {
            Array.Resize(ref array, capacity);
            return array;
        }
    }
}
