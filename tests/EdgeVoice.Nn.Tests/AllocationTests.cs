namespace EdgeVoice.Nn.Tests;

public sealed class AllocationTests
{
    /// <summary>
    /// One chunk of an encoder-shaped pipeline (real sizes: 80 mel bins, 64 channels, width 256, 3×320 LSTM,
    /// vocabulary 256) on preallocated buffers and one arena: after warm-up, repeated chunks allocate 0 bytes.
    /// </summary>
    [Fact]
    public void Steady_state_chunks_allocate_nothing()
    {
        var random = new Random(61);
        const int mel = 80, ch = 64, dim = 256, hidden = 320, vocab = 256, inFrames = 32;
        var conv1 = new CausalConv2d(TestData.Uniform(random, ch * 9), TestData.Uniform(random, ch), 1, ch, mel);
        var conv2 = new CausalConv2d(TestData.Uniform(random, ch * ch * 9, 0.1f), TestData.Uniform(random, ch), ch, ch, conv1.OutBins);
        var project = new Linear(TestData.Uniform(random, dim * conv2.OutFrameSize, 0.05f), TestData.Uniform(random, dim), conv2.OutFrameSize, dim);
        var norm = new LayerNorm(TestData.Uniform(random, dim), TestData.Uniform(random, dim));
        var depthwise = new CausalDepthwiseConv1d(TestData.Uniform(random, dim * 8), TestData.Uniform(random, dim), dim);
        var layers = new List<LstmLayer>();
        for (int l = 0; l < 3; l++)
        {
            int inSize = l == 0 ? dim : hidden;
            layers.Add(new LstmLayer(
                TestData.Uniform(random, 4 * hidden * inSize, 0.05f), TestData.Uniform(random, 4 * hidden * hidden, 0.05f),
                TestData.Uniform(random, 4 * hidden), TestData.Uniform(random, 4 * hidden), inSize, hidden));
        }

        var lstm = new Lstm(layers);
        var joiner = new Linear(TestData.Uniform(random, vocab * hidden, 0.05f), TestData.Uniform(random, vocab), hidden, vocab);

        float[] features = TestData.Uniform(random, inFrames * mel);
        int t1 = conv1.OutputFrames(inFrames), t2 = conv2.OutputFrames(t1);
        var h1 = new float[conv1.HistoryLength];
        var h2 = new float[conv2.HistoryLength];
        var hd = new float[depthwise.HistoryLength];
        var h = new float[lstm.StateLength];
        var c = new float[lstm.StateLength];
        var sum = new float[dim];
        float count = 0;
        var y1 = new float[t1 * conv1.OutFrameSize];
        var y2 = new float[t2 * conv2.OutFrameSize];
        var x = new float[t2 * dim];
        var z = new float[t2 * dim];
        var encoded = new float[t2 * hidden];
        var logits = new float[vocab];
        var arena = new FloatArena(0);
        int best = 0;

        void Chunk()
        {
            arena.Reset();
            conv1.Forward(features, h1, y1, arena);
            Activations.Relu(y1, y1);
            conv2.Forward(y1, h2, y2, arena);
            Activations.Relu(y2, y2);
            project.Forward(y2, x);
            norm.Forward(x, z);
            Span<float> conv = arena.Rent(z.Length);
            depthwise.Forward(z, hd, conv);
            Activations.Swish(conv, conv);
            CumulativeMean.Update(z, sum, ref count, z);
            lstm.Forward(x, h, c, encoded, arena);
            for (int t = 0; t < t2; t++)
            {
                joiner.Forward(encoded.AsSpan(t * hidden, hidden), logits);
                Activations.LogSoftmax(logits, logits);
                best += ArgMax.Find(logits);
            }
        }

        for (int i = 0; i < 3; i++)
        {
            Chunk();
        }

        int growths = arena.Growths;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Chunk();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(growths, arena.Growths);
        Assert.True(best >= 0);
    }

    [Fact]
    public void Arena_slices_are_aligned_and_survive_growth()
    {
        var arena = new FloatArena(16);
        Span<float> first = arena.Rent(5);
        first.Fill(1f);
        Span<float> second = arena.Rent(100);
        second.Fill(2f);
        Assert.All(first.ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal(1, arena.Growths);
        arena.Reset();
        Span<float> again = arena.Rent(100);
        Assert.Equal(100, again.Length);
        Assert.Equal(1, arena.Growths);
        unsafe
        {
            fixed (float* p = again)
            {
                Assert.Equal(0u, (uint)((nuint)p % 64));
            }
        }
    }

    /// <summary>The int8 and block-sparse int8 layers (an LSTM of 3×256 over 8-frame chunks and a joiner-sized Linear,
    /// frame by frame) allocate nothing after warm-up either: activation scratch is on the stack.</summary>
    [Fact]
    public void Steady_state_int8_layers_allocate_nothing()
    {
        var random = new Random(62);
        const int dim = 192, hidden = 256, vocab = 256, frames = 8;
        var layers = new List<LstmLayer>();
        for (int l = 0; l < 3; l++)
        {
            int inSize = l == 0 ? dim : hidden;
            IWeightMatrix ih = BlockSparseInt8Matrix.Prune(TestData.Uniform(random, 4 * hidden * inSize, 0.05f), 4 * hidden, inSize, 0.5);
            IWeightMatrix hh = Int8Matrix.Quantize(TestData.Uniform(random, 4 * hidden * hidden, 0.05f), 4 * hidden, hidden);
            layers.Add(new LstmLayer(ih, default, hh, default, TestData.Uniform(random, 4 * hidden), TestData.Uniform(random, 4 * hidden), inSize, hidden));
        }

        var lstm = new Lstm(layers);
        var joiner = new Linear(BlockSparseInt8Matrix.Prune(TestData.Uniform(random, vocab * dim, 0.05f), vocab, dim, 0.5), TestData.Uniform(random, vocab));
        float[] input = TestData.Uniform(random, frames * dim);
        var h = new float[lstm.StateLength];
        var c = new float[lstm.StateLength];
        var encoded = new float[frames * hidden];
        var logits = new float[vocab];
        var arena = new FloatArena(0);

        void Chunk()
        {
            arena.Reset();
            lstm.Forward(input, h, c, encoded, arena);
            for (int t = 0; t < frames; t++)
            {
                joiner.Forward(input.AsSpan(t * dim, dim), logits);
            }
        }

        for (int i = 0; i < 3; i++)
        {
            Chunk();
        }

        int growths = arena.Growths;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Chunk();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(growths, arena.Growths);
        Assert.All(encoded, v => Assert.True(float.IsFinite(v)));
    }
}
