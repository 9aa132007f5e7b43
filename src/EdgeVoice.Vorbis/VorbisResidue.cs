using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// Residue types 0, 1 and 2: the fine spectral detail, coded per partition with a classification that picks,
/// for each of up to eight passes, the VQ codebook that adds to that partition. Type 0 interleaves each
/// vector across the partition, type 1 stores vectors in order, and type 2 codes all channels as one
/// interleaved vector with type 1's layout.
/// </summary>
internal sealed class VorbisResidue
{
    private readonly int _type;
    private readonly int _begin;
    private readonly int _end;
    private readonly int _partitionSize;
    private readonly int _classifications;
    private readonly VorbisCodebook _classBook;
    private readonly int[][] _books;
    private readonly VorbisCodebook[] _allBooks;

    private VorbisResidue(int type, int begin, int end, int partitionSize, int classifications, VorbisCodebook classBook, int[][] books, VorbisCodebook[] allBooks)
    {
        _type = type;
        _begin = begin;
        _end = end;
        _partitionSize = partitionSize;
        _classifications = classifications;
        _classBook = classBook;
        _books = books;
        _allBooks = allBooks;
    }

    /// <summary>Reads a residue configuration of <paramref name="type"/> (0, 1 or 2) from the setup header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VorbisResidue Read(VorbisBitReader reader, int type, VorbisCodebook[] books, string source, int index)
    {
        int begin = reader.ReadInt(24);
        int end = reader.ReadInt(24);
        int partitionSize = reader.ReadInt(24) + 1;
        int classifications = reader.ReadInt(6) + 1;
        int classBook = reader.ReadInt(8);
        if (classBook >= books.Length)
        {
            throw new VorbisFormatException(source, $"residue {index} refers to missing codebook {classBook}");
        }

        var cascade = new int[classifications];
        for (int c = 0; c < classifications; c++)
        {
            int low = reader.ReadInt(3);
            int high = reader.ReadFlag() ? reader.ReadInt(5) : 0;
            cascade[c] = (high << 3) | low;
        }

        var stageBooks = new int[classifications][];
        for (int c = 0; c < classifications; c++)
        {
            stageBooks[c] = new int[8];
            for (int pass = 0; pass < 8; pass++)
            {
                stageBooks[c][pass] = -1;
                if ((cascade[c] & (1 << pass)) != 0)
                {
                    int book = reader.ReadInt(8);
                    if (book >= books.Length)
                    {
                        throw new VorbisFormatException(source, $"residue {index} refers to missing codebook {book}");
                    }

                    if (books[book].Vectors is null)
                    {
                        throw new VorbisFormatException(source, $"residue {index} uses codebook {book}, which has no VQ lookup");
                    }

                    stageBooks[c][pass] = book;
                }
            }
        }

        if (reader.EndOfPacket)
        {
            throw new VorbisFormatException(source, $"truncated setup header inside residue {index}");
        }

        return new VorbisResidue(type, begin, end, partitionSize, classifications, books[classBook], stageBooks, books);
    }

    /// <summary>
    /// Decodes the residue of the channels of one submap, adding into <paramref name="vectors"/> (each n/2 long,
    /// zeroed by the caller). Channels with <paramref name="doNotDecode"/> set stay zero. Stops quietly at the end
    /// of the packet, as the spec requires.
    /// </summary>
    public void Decode(VorbisBitReader reader, float[][] vectors, bool[] doNotDecode, int halfBlock)
    {
        if (_type == 2)
        {
            DecodeInterleaved(reader, vectors, doNotDecode, halfBlock);
            return;
        }

        DecodeChannels(reader, vectors, doNotDecode, halfBlock, _type);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeInterleaved(VorbisBitReader reader, float[][] vectors, bool[] doNotDecode, int halfBlock)
    {
        int channels = vectors.Length;
        bool any = false;
        foreach (bool skip in doNotDecode)
        {
            any |= !skip;
        }

        if (!any)
        {
            return;
        }

        var joint = new float[halfBlock * channels];
        DecodeChannels(reader, [joint], [false], halfBlock * channels, 1);
        for (int c = 0; c < channels; c++)
        {
            float[] v = vectors[c];
            for (int i = 0; i < halfBlock; i++)
            {
                v[i] = joint[i * channels + c];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeChannels(VorbisBitReader reader, float[][] vectors, bool[] doNotDecode, int size, int layout)
    {
        int begin = Math.Min(_begin, size);
        int end = Math.Min(_end, size);
        if (end <= begin)
        {
            return;
        }

        int partitionsToRead = (end - begin) / _partitionSize;
        if (partitionsToRead == 0)
        {
            return;
        }

        int channels = vectors.Length;
        int perWord = _classBook.Dimensions;
        var classes = new int[channels][];
        for (int c = 0; c < channels; c++)
        {
            classes[c] = new int[partitionsToRead + perWord];
        }

        for (int pass = 0; pass < 8; pass++)
        {
            int partition = 0;
            while (partition < partitionsToRead)
            {
                if (pass == 0)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        if (doNotDecode[c])
                        {
                            continue;
                        }

                        int word = _classBook.DecodeEntry(reader);
                        if (word < 0)
                        {
                            return;
                        }

                        for (int i = perWord - 1; i >= 0; i--)
                        {
                            classes[c][partition + i] = word % _classifications;
                            word /= _classifications;
                        }
                    }
                }

                for (int i = 0; i < perWord && partition < partitionsToRead; i++, partition++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        if (doNotDecode[c])
                        {
                            continue;
                        }

                        int book = _books[classes[c][partition]][pass];
                        if (book < 0)
                        {
                            continue;
                        }

                        int offset = begin + partition * _partitionSize;
                        bool ok = layout == 0
                            ? AddInterleavedPartition(reader, _allBooks[book], vectors[c], offset)
                            : AddOrderedPartition(reader, _allBooks[book], vectors[c], offset);
                        if (!ok)
                        {
                            return;
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AddInterleavedPartition(VorbisBitReader reader, VorbisCodebook book, float[] v, int offset)
    {
        int dims = book.Dimensions;
        int step = _partitionSize / dims;
        float[] table = book.Vectors!;
        for (int i = 0; i < step; i++)
        {
            int entry = book.DecodeEntry(reader);
            if (entry < 0)
            {
                return false;
            }

            int at = entry * dims;
            for (int d = 0; d < dims; d++)
            {
                v[offset + i + d * step] += table[at + d];
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AddOrderedPartition(VorbisBitReader reader, VorbisCodebook book, float[] v, int offset)
    {
        int dims = book.Dimensions;
        float[] table = book.Vectors!;
        int end = Math.Min(offset + _partitionSize, v.Length);
        int i = offset;
        while (i < end)
        {
            int entry = book.DecodeEntry(reader);
            if (entry < 0)
            {
                return false;
            }

            int at = entry * dims;
            for (int d = 0; d < dims && i < end; d++, i++)
            {
                v[i] += table[at + d];
            }
        }

        return true;
    }
}
