using System.Buffers;
using System.Numerics.Tensors;
using EdgeVoice.Nn;

namespace EdgeVoice.Lm;

/// <summary>
/// The neural language model of the cloud rescorer: sentencepiece unigram pieces → embedding → one LSTM layer →
/// linear → log-softmax over the pieces (architecture <c>lstm-lm-v1</c>, trained and exported by training/lm/).
/// A word's log probability is the sum of its pieces'; the sentence ends with the piece &lt;/s&gt;.
/// <para>
/// Speed: the input half of the LSTM (embedding, input weights and both biases) is folded at load time into one
/// row per piece, so a step is one recurrent matrix product plus the output layer; the state after &lt;s&gt; is
/// computed once; <see cref="ScoreSentences"/> puts all sentences in a prefix tree and runs each tree level as one
/// batched matrix product, so shared prefixes are computed once. Immutable and thread-safe: every call uses its
/// own pooled buffers.
/// </para>
/// </summary>
/// <example>
/// <code>
/// var lm = LstmLanguageModel.Load("models/lm-lstm.evm");
/// var rescorer = new LatticeRescorer(lm, lm.TunedWeights ?? RescoringWeights.Default);
/// </code>
/// </example>
public sealed class LstmLanguageModel : IWordScoringLanguageModel
{
    private readonly int _v, _h, _bos, _eos;
    private readonly float[] _inputGates;   // [V, 4H]: W_ih · embed[v] + b_ih + b_hh
    private readonly float[] _wHh;          // [4H, H]
    private readonly float[] _wOut;         // [V, H]
    private readonly float[] _bOut;         // [V]
    private readonly float[] _rootHidden, _rootCell, _rootLogProbs;

    private LstmLanguageModel(string name, LstmLmMetadata meta, float[] embed, float[] wIh, float[] bIh, float[] bHh, float[] wHh, float[] wOut, float[] bOut)
    {
        Name = name;
        _v = meta.VocabSize;
        _h = meta.HiddenSize;
        _bos = meta.BosId;
        _eos = meta.EosId;
        EmbeddingSize = meta.EmbedDim;
        ParameterCount = (long)embed.Length + wIh.Length + bIh.Length + bHh.Length + wHh.Length + wOut.Length + bOut.Length;
        TunedWeights = meta.Weights;
        Tokenizer = new UnigramTokenizer(meta.Pieces, meta.Scores, meta.UnkId, [meta.BosId, meta.EosId]);
        _wHh = wHh;
        _wOut = wOut;
        _bOut = bOut;
        int g = 4 * _h;
        var bias = new float[g];
        TensorPrimitives.Add(bIh, bHh, bias);
        _inputGates = new float[_v * g];
        MatrixMultiply.MultiplyTransposed(embed, wIh, bias, _inputGates, _v, g, meta.EmbedDim);

        // The state after <s> from the zero state, and its next-piece distribution.
        _rootHidden = new float[_h];
        _rootCell = new float[_h];
        var gates = _inputGates.AsSpan(_bos * g, g).ToArray();
        LstmCell.Update(gates, _rootCell, _rootHidden);
        _rootLogProbs = new float[_v];
        MatrixVector.Multiply(_wOut, _rootHidden, _bOut, _rootLogProbs);
        float lse = LogSumExp(_rootLogProbs, new float[_v]);
        TensorPrimitives.Subtract(_rootLogProbs, lse, _rootLogProbs);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Number of pieces.</summary>
    public int VocabularySize => _v;

    /// <summary>LSTM width.</summary>
    public int HiddenSize => _h;

    /// <summary>Embedding width.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Trainable parameters of the network as trained.</summary>
    public long ParameterCount { get; }

    /// <summary>Rescoring weights stored in the model file's metadata (<c>rescoring</c>), or null when it has none.</summary>
    public RescoringWeights? TunedWeights { get; }

    /// <summary>The tokenizer that turns words into the model's pieces.</summary>
    public UnigramTokenizer Tokenizer { get; }

    /// <summary>Loads an <c>lstm-lm-v1</c> model file (the EdgeVoice model container, docs/model-format.md).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ModelFormatException">The container is damaged.</exception>
    /// <exception cref="LanguageModelFormatException">The metadata or a tensor does not describe an <c>lstm-lm-v1</c> network.</exception>
    public static LstmLanguageModel Load(string path)
    {
        ModelContainer container = ModelFile.LoadContainer(path);
        LstmLmMetadata meta = LstmLmMetadata.Parse(path, container.MetadataJson);
        int v = meta.VocabSize, e = meta.EmbedDim, h = meta.HiddenSize;
        var expected = new (string Name, int[] Shape)[]
        {
            ("embed.weight", [v, e]), ("lstm.weight_ih_l0", [4 * h, e]), ("lstm.weight_hh_l0", [4 * h, h]),
            ("lstm.bias_ih_l0", [4 * h]), ("lstm.bias_hh_l0", [4 * h]), ("out.weight", [v, h]), ("out.bias", [v]),
        };
        var problems = new List<string>();
        var data = new Dictionary<string, float[]>();
        foreach (var (name, shape) in expected)
        {
            if (!container.Tensors.TryGetValue(name, out ModelTensor? t))
            {
                problems.Add($"tensor '{name}' is missing");
            }
            else if (!t.Shape.SequenceEqual(shape))
            {
                problems.Add($"tensor '{name}' has shape {t.ShapeText}, expected [{string.Join(", ", shape)}]");
            }
            else
            {
                data[name] = t.ToArray();
            }
        }

        foreach (string extra in container.TensorNames.Except(expected.Select(x => x.Name)))
        {
            problems.Add($"unexpected tensor '{extra}'");
        }

        if (problems.Count > 0)
        {
            throw new LanguageModelFormatException(path, 0, "tensors do not match lstm-lm-v1: " + string.Join("; ", problems));
        }

        return new LstmLanguageModel(meta.Name, meta, data["embed.weight"], data["lstm.weight_ih_l0"], data["lstm.bias_ih_l0"],
            data["lstm.bias_hh_l0"], data["lstm.weight_hh_l0"], data["out.weight"], data["out.bias"]);
    }

    /// <summary>The piece ids of a sentence's words, in order.</summary>
    public IReadOnlyList<int> Encode(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var ids = new List<int>();
        foreach (string w in words)
        {
            Tokenizer.EncodeWord(w, ids);
        }

        return ids;
    }

    /// <inheritdoc/>
    public double ScoreSentence(IReadOnlyList<string> words) => ScoreSentences([words])[0];

    /// <inheritdoc/>
    public IReadOnlyList<double> ScoreSentences(IReadOnlyList<IReadOnlyList<string>> sentences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var pieces = new List<int>[sentences.Count];
        for (int i = 0; i < pieces.Length; i++)
        {
            pieces[i] = (List<int>)Encode(sentences[i]);
        }

        var scores = new double[sentences.Count];
        var trie = new PieceTrie();
        var ends = new int[sentences.Count];
        for (int i = 0; i < pieces.Length; i++)
        {
            int node = 0;
            foreach (int p in pieces[i])
            {
                node = trie.Child(node, p);
            }

            ends[i] = node;
        }

        (float[] logProb, float[] endLogProb) = Run(trie, cancellationToken);
        for (int i = 0; i < pieces.Length; i++)
        {
            double s = endLogProb[ends[i]];
            for (int node = ends[i]; node != 0; node = trie.Parent[node])
            {
                s += logProb[node];
            }

            scores[i] = s;
        }

        return scores;
    }

    /// <inheritdoc/>
    public void ScoreWords(IReadOnlyList<string> words, Span<double> logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (logProbabilities.Length < words.Count + 1)
        {
            throw new ArgumentException($"Need {words.Count + 1} scores (words + end of sentence), got room for {logProbabilities.Length}.", nameof(logProbabilities));
        }

        var trie = new PieceTrie();
        var wordEnd = new int[words.Count];
        var ids = new List<int>();
        int node = 0;
        for (int w = 0; w < words.Count; w++)
        {
            ids.Clear();
            Tokenizer.EncodeWord(words[w], ids);
            foreach (int p in ids)
            {
                node = trie.Child(node, p);
            }

            wordEnd[w] = node;
        }

        (float[] logProb, float[] endLogProb) = Run(trie, CancellationToken.None);
        int previous = 0;
        for (int w = 0; w < words.Count; w++)
        {
            double s = 0;
            for (int n = wordEnd[w]; n != previous; n = trie.Parent[n])
            {
                s += logProb[n];
            }

            logProbabilities[w] = s;
            previous = wordEnd[w];
        }

        logProbabilities[words.Count] = endLogProb[node];
    }

    /// <summary>Natural-log probabilities of each piece of <paramref name="pieces"/> and then of &lt;/s&gt; (for parity tests).</summary>
    internal double[] PieceLogProbabilities(IReadOnlyList<int> pieces)
    {
        var trie = new PieceTrie();
        int node = 0;
        var nodes = new List<int>();
        foreach (int p in pieces)
        {
            node = trie.Child(node, p);
            nodes.Add(node);
        }

        (float[] logProb, float[] endLogProb) = Run(trie, CancellationToken.None);
        return nodes.Select(n => (double)logProb[n]).Append(endLogProb[node]).ToArray();
    }

    /// <summary>
    /// Runs the LSTM over every node of <paramref name="trie"/>, level by level. Returns, per node, ln P(its piece |
    /// its parent's prefix) and ln P(&lt;/s&gt; | its prefix).
    /// </summary>
    private (float[] LogProb, float[] EndLogProb) Run(PieceTrie trie, CancellationToken cancellationToken)
    {
        int count = trie.Count, h = _h, g = 4 * h, v = _v;
        var logProb = new float[count];
        var endLogProb = new float[count];
        endLogProb[0] = _rootLogProbs[_eos];

        // Nodes grouped by depth (counting sort); the root is level 0.
        int maxDepth = 0;
        for (int i = 0; i < count; i++)
        {
            maxDepth = Math.Max(maxDepth, trie.Depth[i]);
        }

        var levelStart = new int[maxDepth + 2];
        for (int i = 0; i < count; i++)
        {
            levelStart[trie.Depth[i] + 1]++;
        }

        for (int d = 1; d <= maxDepth + 1; d++)
        {
            levelStart[d] += levelStart[d - 1];
        }

        var order = new int[count];
        var slot = new int[count];           // a node's row within its level
        var fill = levelStart[..^1].ToArray();
        for (int i = 0; i < count; i++)
        {
            int d = trie.Depth[i];
            slot[i] = fill[d] - levelStart[d];
            order[fill[d]++] = i;
        }

        int widest = 1;
        for (int d = 1; d <= maxDepth; d++)
        {
            widest = Math.Max(widest, Padded(levelStart[d + 1] - levelStart[d]));
        }

        ArrayPool<float> pool = ArrayPool<float>.Shared;
        float[] prevH = pool.Rent(widest * h), prevC = pool.Rent(widest * h);
        float[] curH = pool.Rent(widest * h), curC = pool.Rent(widest * h);
        float[] prevLogProbs = pool.Rent(widest * v), curLogProbs = pool.Rent(widest * v);
        float[] gates = pool.Rent(widest * g), scratch = pool.Rent(v);
        try
        {
            _rootHidden.CopyTo(prevH, 0);
            _rootCell.CopyTo(prevC, 0);
            _rootLogProbs.CopyTo(prevLogProbs, 0);
            for (int d = 1; d <= maxDepth; d++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int first = levelStart[d], rows = levelStart[d + 1] - first;

                // Row r: the node's own piece probability from its parent's distribution, and the parent's state.
                for (int r = 0; r < rows; r++)
                {
                    int node = order[first + r];
                    int parentSlot = slot[trie.Parent[node]];
                    logProb[node] = prevLogProbs[parentSlot * v + trie.Token[node]];
                    Array.Copy(prevH, parentSlot * h, curH, r * h, h);
                    Array.Copy(prevC, parentSlot * h, curC, r * h, h);
                }

                // gates = h_parent W_hhᵀ + (W_ih embed[piece] + b_ih + b_hh), then the cell update, in place.
                int padded = Padded(rows);
                curH.AsSpan(rows * h, (padded - rows) * h).Clear();
                Product(curH, _wHh, [], gates, rows, padded, g);
                for (int r = 0; r < rows; r++)
                {
                    int token = trie.Token[order[first + r]];
                    Span<float> row = gates.AsSpan(r * g, g);
                    TensorPrimitives.Add(row, _inputGates.AsSpan(token * g, g), row);
                    LstmCell.Update(row, curC.AsSpan(r * h, h), curH.AsSpan(r * h, h));
                }

                // Next-piece log-softmax of every node of the level.
                Product(curH, _wOut, _bOut, curLogProbs, rows, padded, v);
                for (int r = 0; r < rows; r++)
                {
                    Span<float> row = curLogProbs.AsSpan(r * v, v);
                    TensorPrimitives.Subtract(row, LogSumExp(row, scratch), row);
                    endLogProb[order[first + r]] = row[_eos];
                }

                (prevH, curH) = (curH, prevH);
                (prevC, curC) = (curC, prevC);
                (prevLogProbs, curLogProbs) = (curLogProbs, prevLogProbs);
            }
        }
        finally
        {
            pool.Return(prevH);
            pool.Return(prevC);
            pool.Return(curH);
            pool.Return(curC);
            pool.Return(prevLogProbs);
            pool.Return(curLogProbs);
            pool.Return(gates);
            pool.Return(scratch);
        }

        return (logProb, endLogProb);
    }

    /// <summary>
    /// Rows of a level's matrix products: the blocked kernel works on 4 rows at a time and is slow on a remainder,
    /// so levels of 3 or more rows are padded to a multiple of 4 (zero rows, results ignored); 1 or 2 rows go
    /// through the matrix-vector kernel instead (measured with bench/lm "kernel").
    /// </summary>
    private static int Padded(int rows) => rows <= 2 ? rows : (rows + 3) / 4 * 4;

    /// <summary>y[r] = W x[r] + bias for the level's rows; x is [padded, H], y is [padded, n].</summary>
    private void Product(float[] x, float[] weights, ReadOnlySpan<float> bias, float[] y, int rows, int padded, int n)
    {
        if (padded <= 2)
        {
            for (int r = 0; r < rows; r++)
            {
                MatrixVector.Multiply(weights, x.AsSpan(r * _h, _h), bias, y.AsSpan(r * n, n));
            }
        }
        else
        {
            MatrixMultiply.MultiplyTransposed(x.AsSpan(0, padded * _h), weights, bias, y.AsSpan(0, padded * n), padded, n, _h);
        }
    }

    private static float LogSumExp(ReadOnlySpan<float> x, Span<float> scratch)
    {
        float max = TensorPrimitives.Max(x);
        Span<float> s = scratch[..x.Length];
        TensorPrimitives.Subtract(x, max, s);
        TensorPrimitives.Exp(s, s);
        return max + MathF.Log(TensorPrimitives.Sum(s));
    }
}
