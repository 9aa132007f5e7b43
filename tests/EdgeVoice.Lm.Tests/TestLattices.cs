using EdgeVoice.Asr;

namespace EdgeVoice.Lm.Tests;

/// <summary>Builds small lattices for tests: one chain per hypothesis from the start node, acoustic score on the first arc.</summary>
internal static class TestLattices
{
    public static WordLattice Chains(params (string Text, double Score)[] hypotheses)
    {
        var arcs = new List<LatticeArc>();
        var final = new List<float> { float.NaN };
        int next = 1;
        foreach (var (text, score) in hypotheses)
        {
            string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                final[0] = (float)score;
                continue;
            }

            int from = 0;
            for (int i = 0; i < words.Length; i++)
            {
                int to = next++;
                final.Add(float.NaN);
                arcs.Add(new LatticeArc(from, to, words[i], 2 * i, 2 * i + 2, i == 0 ? (float)score : 0f, float.NaN));
                from = to;
            }

            final[from] = 0f;
        }

        return new WordLattice(next, arcs, final, 0.04, "test");
    }
}
