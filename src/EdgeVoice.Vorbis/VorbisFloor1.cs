using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// Floor type 1: a piecewise-linear spectral envelope on a dB scale, coded as posts (X positions fixed in the
/// setup, Y values per packet predicted from their neighbours), rendered with integer Bresenham lines.
/// </summary>
internal sealed class VorbisFloor1
{
    private const int MaxPosts = 65;
    private static readonly int[] RangeByMultiplier = [256, 128, 86, 64];

    /// <summary>floor1_inverse_dB_table: 256 steps of 140/256 dB, from about -140 dB up to 0 dB.</summary>
    private static readonly float[] InverseDb = BuildInverseDbTable();

    private readonly int[] _partitionClass;
    private readonly int[] _classDimensions;
    private readonly int[] _classSubclassBits;
    private readonly int[] _classMasterBook;
    private readonly int[][] _subclassBooks;
    private readonly int _multiplier;
    private readonly int[] _x;
    private readonly int[] _sortedOrder;
    private readonly int[] _lowNeighbour;
    private readonly int[] _highNeighbour;
    private readonly VorbisCodebook[] _books;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private VorbisFloor1(
        int[] partitionClass, int[] classDimensions, int[] classSubclassBits, int[] classMasterBook,
        int[][] subclassBooks, int multiplier, int[] x, VorbisCodebook[] books)
    {
        _partitionClass = partitionClass;
        _classDimensions = classDimensions;
        _classSubclassBits = classSubclassBits;
        _classMasterBook = classMasterBook;
        _subclassBooks = subclassBooks;
        _multiplier = multiplier;
        _x = x;
        _books = books;

        _sortedOrder = new int[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            _sortedOrder[i] = i;
        }

        Array.Sort(_sortedOrder, (a, b) => x[a].CompareTo(x[b]));

        _lowNeighbour = new int[x.Length];
        _highNeighbour = new int[x.Length];
        for (int i = 2; i < x.Length; i++)
        {
            int low = 0;
            int high = 1;
            int lowX = -1;
            int highX = int.MaxValue;
            for (int j = 0; j < i; j++)
            {
                if (x[j] > lowX && x[j] < x[i])
                {
                    low = j;
                    lowX = x[j];
                }

                if (x[j] < highX && x[j] > x[i])
                {
                    high = j;
                    highX = x[j];
                }
            }

            _lowNeighbour[i] = low;
            _highNeighbour[i] = high;
        }
    }

    /// <summary>floor1_inverse_dB_table, for tests.</summary>
    internal static ReadOnlySpan<float> InverseDbTable => InverseDb;

    /// <summary>Number of posts (Y values) per packet.</summary>
    public int PostCount => _x.Length;

    /// <summary>Reads the floor 1 configuration from the setup header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VorbisFloor1 Read(VorbisBitReader reader, VorbisCodebook[] books, string source, int index)
    {
        int partitions = reader.ReadInt(5);
        var partitionClass = new int[partitions];
        int maxClass = -1;
        for (int i = 0; i < partitions; i++)
        {
            partitionClass[i] = reader.ReadInt(4);
            maxClass = Math.Max(maxClass, partitionClass[i]);
        }

        var classDimensions = new int[maxClass + 1];
        var classSubclassBits = new int[maxClass + 1];
        var classMasterBook = new int[maxClass + 1];
        var subclassBooks = new int[maxClass + 1][];
        for (int c = 0; c <= maxClass; c++)
        {
            classDimensions[c] = reader.ReadInt(3) + 1;
            classSubclassBits[c] = reader.ReadInt(2);
            classMasterBook[c] = -1;
            if (classSubclassBits[c] != 0)
            {
                classMasterBook[c] = CheckBook(reader.ReadInt(8), books, source, index);
            }

            subclassBooks[c] = new int[1 << classSubclassBits[c]];
            for (int s = 0; s < subclassBooks[c].Length; s++)
            {
                int book = reader.ReadInt(8) - 1;
                subclassBooks[c][s] = book < 0 ? -1 : CheckBook(book, books, source, index);
            }
        }

        int multiplier = reader.ReadInt(2) + 1;
        int rangeBits = reader.ReadInt(4);
        var x = new List<int> { 0, 1 << rangeBits };
        foreach (int c in partitionClass)
        {
            for (int d = 0; d < classDimensions[c]; d++)
            {
                x.Add(reader.ReadInt(rangeBits));
                if (x.Count > MaxPosts)
                {
                    throw new VorbisFormatException(source, $"floor {index} has more than {MaxPosts} posts");
                }
            }
        }

        if (reader.EndOfPacket)
        {
            throw new VorbisFormatException(source, $"truncated setup header inside floor {index}");
        }

        if (x.Distinct().Count() != x.Count)
        {
            throw new VorbisFormatException(source, $"floor {index} has two posts at the same position");
        }

        return new VorbisFloor1(
            partitionClass, classDimensions, classSubclassBits, classMasterBook, subclassBooks, multiplier, x.ToArray(), books);
    }

    /// <summary>
    /// Decodes the posts of one channel into <paramref name="y"/> (length <see cref="PostCount"/>); returns false
    /// when the floor is unused in this packet (the channel is silent) or the packet ends inside the floor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool DecodePosts(VorbisBitReader reader, int[] y)
    {
        if (!reader.ReadFlag())
        {
            return false;
        }

        int range = RangeByMultiplier[_multiplier - 1];
        int yBits = VorbisMath.ILog(range - 1);
        y[0] = reader.ReadInt(yBits);
        y[1] = reader.ReadInt(yBits);
        int offset = 2;
        foreach (int c in _partitionClass)
        {
            int dimensions = _classDimensions[c];
            int bits = _classSubclassBits[c];
            int mask = (1 << bits) - 1;
            int classValue = 0;
            if (bits > 0)
            {
                classValue = _books[_classMasterBook[c]].DecodeEntry(reader);
                if (classValue < 0)
                {
                    return false;
                }
            }

            for (int d = 0; d < dimensions; d++)
            {
                int book = _subclassBooks[c][classValue & mask];
                classValue >>= bits;
                if (book >= 0)
                {
                    int value = _books[book].DecodeEntry(reader);
                    if (value < 0)
                    {
                        return false;
                    }

                    y[offset] = value;
                }
                else
                {
                    y[offset] = 0;
                }

                offset++;
            }
        }

        return !reader.EndOfPacket;
    }

    /// <summary>
    /// Turns decoded posts into the floor curve: predicts each post from its neighbours, applies the coded
    /// offsets, then draws lines between the posts in use and maps the result through the inverse dB table.
    /// </summary>
    /// <param name="y">Decoded posts; overwritten with the final Y values.</param>
    /// <param name="used">Scratch flags, length <see cref="PostCount"/>.</param>
    /// <param name="curve">Output, the first half of the block (n/2 values).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Render(int[] y, bool[] used, Span<float> curve)
    {
        int range = RangeByMultiplier[_multiplier - 1];
        used[0] = true;
        used[1] = true;
        for (int i = 2; i < _x.Length; i++)
        {
            int low = _lowNeighbour[i];
            int high = _highNeighbour[i];
            int predicted = RenderPoint(_x[low], y[low], _x[high], y[high], _x[i]);
            int value = y[i];
            int highRoom = range - predicted;
            int lowRoom = predicted;
            int room = Math.Min(highRoom, lowRoom) * 2;
            if (value != 0)
            {
                used[low] = true;
                used[high] = true;
                used[i] = true;
                if (value >= room)
                {
                    y[i] = highRoom > lowRoom ? value - lowRoom + predicted : predicted - value + highRoom - 1;
                }
                else
                {
                    y[i] = (value & 1) != 0 ? predicted - ((value + 1) >> 1) : predicted + (value >> 1);
                }
            }
            else
            {
                used[i] = false;
                y[i] = predicted;
            }
        }

        int n = curve.Length;
        int first = _sortedOrder[0];
        int lx = 0;
        int ly = y[first] * _multiplier;
        int hx = 0;
        int hy = ly;
        for (int k = 1; k < _sortedOrder.Length; k++)
        {
            int i = _sortedOrder[k];
            if (!used[i])
            {
                continue;
            }

            hx = _x[i];
            hy = y[i] * _multiplier;
            RenderLine(lx, ly, hx, hy, curve);
            lx = hx;
            ly = hy;
        }

        if (hx < n)
        {
            RenderLine(hx, hy, n, hy, curve);
        }
    }

    private static int RenderPoint(int x0, int y0, int x1, int y1, int x)
    {
        int dy = y1 - y0;
        int adx = x1 - x0;
        int ady = Math.Abs(dy);
        int err = ady * (x - x0);
        int off = err / adx;
        return dy < 0 ? y0 - off : y0 + off;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RenderLine(int x0, int y0, int x1, int y1, Span<float> curve)
    {
        int n = curve.Length;
        if (x0 >= n)
        {
            return;
        }

        int dy = y1 - y0;
        int adx = x1 - x0;
        int ady = Math.Abs(dy);
        int baseStep = dy / adx;
        int sy = dy < 0 ? baseStep - 1 : baseStep + 1;
        int x = x0;
        int y = y0;
        int err = 0;
        ady -= Math.Abs(baseStep) * adx;
        curve[x] = Lookup(y);
        int end = Math.Min(x1, n);
        for (x = x0 + 1; x < end; x++)
        {
            err += ady;
            if (err >= adx)
            {
                err -= adx;
                y += sy;
            }
            else
            {
                y += baseStep;
            }

            curve[x] = Lookup(y);
        }
    }

    private static float Lookup(int y) => InverseDb[Math.Clamp(y, 0, 255)];

    private static int CheckBook(int book, VorbisCodebook[] books, string source, int index) =>
        book < books.Length ? book : throw new VorbisFormatException(source, $"floor {index} refers to missing codebook {book}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] BuildInverseDbTable()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++)
        {
            // dB to amplitude with ln(10)/20 rounded to 0.11512925, as the reference implementation generated the table.
            table[i] = (float)Math.Exp((i - 255) * (140.0 / 256.0) * 0.11512925);
        }

        return table;
    }
}
