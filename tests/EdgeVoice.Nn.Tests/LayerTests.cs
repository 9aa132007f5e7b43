namespace EdgeVoice.Nn.Tests;

public sealed class LayerTests
{
    [Fact]
    public void Lstm_stack_matches_oracle_and_any_chunking()
    {
        var random = new Random(51);
        const int input = 12, hidden = 9, layers = 3, frames = 11;
        var stack = new List<LstmLayer>();
        var parameters = new List<(float[] Wih, float[] Whh, float[] Bih, float[] Bhh)>();
        for (int l = 0; l < layers; l++)
        {
            int inSize = l == 0 ? input : hidden;
            var p = (TestData.Uniform(random, 4 * hidden * inSize, 0.5f), TestData.Uniform(random, 4 * hidden * hidden, 0.5f),
                TestData.Uniform(random, 4 * hidden, 0.5f), TestData.Uniform(random, 4 * hidden, 0.5f));
            parameters.Add(p);
            stack.Add(new LstmLayer(p.Item1, p.Item2, p.Item3, p.Item4, inSize, hidden));
        }

        var lstm = new Lstm(stack);
        float[] x = TestData.Uniform(random, frames * input, 2f);

        double[] expected = x.Select(v => (double)v).ToArray();
        for (int l = 0; l < layers; l++)
        {
            var p = parameters[l];
            float[] layerInput = expected.Select(v => (float)v).ToArray();
            expected = Oracle.Lstm(layerInput, p.Wih, p.Whh, p.Bih, p.Bhh, l == 0 ? input : hidden, hidden, new double[hidden], new double[hidden]);
        }

        var arena = new FloatArena(0);
        var h = new float[lstm.StateLength];
        var c = new float[lstm.StateLength];
        var whole = new float[frames * hidden];
        lstm.Forward(x, h, c, whole, arena);
        TestData.AssertClose(expected, whole, 2e-5, 1, "lstm");

        foreach (int chunk in new[] { 1, 3, 4 })
        {
            Array.Clear(h);
            Array.Clear(c);
            var chunked = new float[whole.Length];
            for (int t = 0; t < frames; t += chunk)
            {
                int n = Math.Min(chunk, frames - t);
                arena.Reset();
                lstm.Forward(x.AsSpan(t * input, n * input), h, c, chunked.AsSpan(t * hidden, n * hidden), arena);
            }

            Assert.Equal(whole, chunked);
        }
    }

    [Fact]
    public void Linear_over_frames_equals_frame_by_frame()
    {
        var random = new Random(52);
        const int inF = 33, outF = 17, frames = 6;
        var linear = new Linear(TestData.Uniform(random, inF * outF), TestData.Uniform(random, outF), inF, outF);
        float[] x = TestData.Uniform(random, frames * inF);
        var all = new float[frames * outF];
        linear.Forward(x, all);
        var one = new float[outF];
        for (int t = 0; t < frames; t++)
        {
            linear.Forward(x.AsSpan(t * inF, inF), one);
            Assert.Equal(one, all.AsSpan(t * outF, outF).ToArray());
        }
    }
}
