using System.Runtime.InteropServices;

namespace EdgeVoice.Nn;

/// <summary>
/// A copy of a <see cref="BlockSparseInt8Matrix"/>'s stored blocks rearranged for the one-frame x86 kernel
/// (<see cref="SparseInt8Kernel"/>): rows in groups of four walked in lockstep, one step being a pair of blocks from
/// each of the four rows. Rows with fewer pairs than the longest row of their group are padded with zero blocks at
/// column 0, so each group is one loop of a fixed length (no per-row loop exits to mispredict). The rows are grouped in
/// order of their block count (<see cref="Rows"/>), so the four rows of a group need about as many steps and little
/// padding is done: on the recurrent matrices of a 50%-sparse model, 25–30% fewer steps than grouping neighbours.
/// Built on first use.
/// </summary>
internal sealed class SparseRowGroups
{
    /// <summary>Bytes of weights per step: four rows × two blocks of 16.</summary>
    public const int StepBytes = 4 * 2 * Int8Dot.BlockSize;

    /// <summary>Rows of at most this many blocks also get <see cref="PairOffsets"/> (a pair table of 16·16·32 = 8 KiB).</summary>
    public const int MaxTableBlocks = 16;

    private SparseRowGroups(int[] groupStart, int[] groupRows, int[] places, sbyte[] weights, int weightsStart, int[] offsets, int blocksPerRow, ushort[]? pairOffsets)
    {
        Rows = groupRows;
        Places = places;
        GroupStart = groupStart;
        Weights = weights;
        WeightsStart = weightsStart;
        Offsets = offsets;
        BlocksPerRow = blocksPerRow;
        PairOffsets = pairOffsets;
    }

    /// <summary>Blocks of a full row.</summary>
    public int BlocksPerRow { get; }

    /// <summary>
    /// When rows have at most <see cref="MaxTableBlocks"/> blocks: per step and row, the byte offset
    /// <c>32·(c0·BlocksPerRow + c1)</c> of its two blocks' activations in a table of every pair of activation blocks
    /// (built once per call), so a step loads its activations with one 32-byte load; otherwise null. 16 bits each
    /// (at most 16·16·32 − 32 = 8160), so one 64-bit load fetches a step's four.
    /// </summary>
    public ushort[]? PairOffsets { get; }

    /// <summary>The matrix row at each of a group's four places, <c>4·groups</c> entries; −1 past the last row.</summary>
    public int[] Rows { get; }

    /// <summary>Per matrix row, its place in <see cref="Rows"/> (the inverse order).</summary>
    public int[] Places { get; }

    /// <summary>First step of each group of four rows, <c>groups + 1</c> entries.</summary>
    public int[] GroupStart { get; }

    /// <summary>
    /// Per step, the 32 weight bytes (two blocks) of each of the group's four rows, starting on a 64-byte boundary so
    /// that no 32-byte load straddles two cache lines (a pinned array with <see cref="WeightsStart"/> bytes skipped).
    /// </summary>
    public sbyte[] Weights { get; }

    /// <summary>Index in <see cref="Weights"/> of the first step's first byte.</summary>
    public int WeightsStart { get; }

    /// <summary>Per step, for each of the four rows, the activation byte offsets of its two blocks (8 values).</summary>
    public int[] Offsets { get; }

    /// <summary>Rearranges the packed blocks (<paramref name="rowStart"/> and <paramref name="blockColumns"/> as in the matrix).</summary>
    public static SparseRowGroups Build(ReadOnlySpan<sbyte> packed, int[] rowStart, ushort[] blockColumns, int blocksPerRow)
    {
        const int block = Int8Dot.BlockSize;
        int rows = rowStart.Length - 1;
        int groups = (rows + 3) / 4;
        var order = new int[rows];
        var pairs = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            order[r] = r;
            pairs[r] = (rowStart[r + 1] - rowStart[r] + 1) / 2;
        }

        Array.Sort(pairs.ToArray(), order); // ties keep no particular order; any order gives the same products
        var groupRows = new int[groups * 4];
        Array.Fill(groupRows, -1);
        order.CopyTo(groupRows, 0);
        var places = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            places[order[i]] = i;
        }

        var groupStart = new int[groups + 1];
        for (int g = 0; g < groups; g++)
        {
            int longest = 0;
            for (int i = 4 * g; i < Math.Min(rows, (4 * g) + 4); i++)
            {
                longest = Math.Max(longest, pairs[groupRows[i]]);
            }

            groupStart[g + 1] = groupStart[g] + longest;
        }

        int steps = groupStart[groups];
        MemoryMarshal.TryGetArray<sbyte>(AlignedMemory.Allocate<sbyte>(Math.Max(steps, 1) * StepBytes), out ArraySegment<sbyte> aligned);
        sbyte[] weights = aligned.Array!;
        int start = aligned.Offset;
        var offsets = new int[steps * 8];
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < 4 && (4 * g) + i < rows; i++)
            {
                int r = groupRows[(4 * g) + i];
                for (int k = rowStart[r]; k < rowStart[r + 1]; k++)
                {
                    int n = k - rowStart[r];
                    int step = groupStart[g] + (n / 2);
                    int half = n % 2;
                    packed.Slice(k * block, block).CopyTo(weights.AsSpan(start + (step * StepBytes) + (i * 2 * block) + (half * block), block));
                    offsets[(step * 8) + (2 * i) + half] = blockColumns[k] * block;
                }
            }
        }

        ushort[]? pairOffsets = null;
        if (blocksPerRow <= MaxTableBlocks)
        {
            pairOffsets = new ushort[steps * 4];
            for (int i = 0; i < pairOffsets.Length; i++)
            {
                pairOffsets[i] = checked((ushort)(2 * block * (((offsets[2 * i] / block) * blocksPerRow) + (offsets[(2 * i) + 1] / block))));
            }
        }

        return new SparseRowGroups(groupStart, groupRows, places, weights, start, offsets, blocksPerRow, pairOffsets);
    }
}
