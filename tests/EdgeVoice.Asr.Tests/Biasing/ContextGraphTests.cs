using EdgeVoice.Asr.Biasing;

namespace EdgeVoice.Asr.Tests.Biasing;

public sealed class ContextGraphTests
{
    private static ContextGraph Graph(float boost, params int[][] phrases) =>
        ContextGraph.FromTokens(phrases.Select(p => (p, boost)));

    private static string Key(IEnumerable<int> tokens) => string.Join(",", tokens);

    private static bool EndsWith(List<int> sequence, int[] suffix) =>
        suffix.Length <= sequence.Count && sequence.Skip(sequence.Count - suffix.Length).SequenceEqual(suffix);

    [Theory]
    [InlineData(1, 3, 4)]
    [InlineData(2, 8, 3)]
    [InlineData(3, 40, 5)]
    [InlineData(4, 200, 6)]
    public void Failure_links_and_matches_agree_with_a_naive_matcher(int seed, int phraseCount, int alphabet)
    {
        var random = new Random(seed);
        int[][] phrases = Enumerable.Range(0, phraseCount)
            .Select(_ => Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(alphabet)).ToArray()).ToArray();
        ContextGraph graph = Graph(1f, phrases);
        var prefixes = new HashSet<string>(phrases.SelectMany(p => Enumerable.Range(0, p.Length + 1).Select(n => Key(p.Take(n)))));
        Assert.Equal(prefixes.Count, graph.NodeCount);

        // Every node's failure link is its longest proper suffix that is a phrase prefix.
        for (int node = 1; node < graph.NodeCount; node++)
        {
            int[] path = graph.PathOf(node);
            int[] expected = Enumerable.Range(1, path.Length).Select(skip => path.Skip(skip).ToArray()).First(s => prefixes.Contains(Key(s)));
            Assert.Equal(Key(expected), Key(graph.PathOf(graph.FailureOf(node))));
        }

        // Along random token sequences the automaton sits at the longest suffix that is a prefix, and reports
        // exactly the phrases that end there.
        int state = 0;
        var seen = new List<int>();
        for (int step = 0; step < 2000; step++)
        {
            int token = random.Next(alphabet + 1); // alphabet itself: a token in no phrase
            seen.Add(token);
            state = graph.Advance(state, token, out _);
            int longest = Enumerable.Range(0, Math.Min(seen.Count, 6) + 1).Where(n => prefixes.Contains(Key(seen.Skip(seen.Count - n)))).Max();
            Assert.Equal(Key(seen.Skip(seen.Count - longest)), Key(graph.PathOf(state)));

            var expectedMatches = phrases.Where(p => EndsWith(seen, p)).Select(Key).ToHashSet();
            var matches = graph.PhrasesEndingAt(state).Select(i => Key(phrases[i])).ToHashSet();
            Assert.True(expectedMatches.SetEquals(matches), $"step {step}: expected [{string.Join(" | ", expectedMatches)}], got [{string.Join(" | ", matches)}]");
        }
    }

    [Fact]
    public void A_broken_partial_match_gives_its_bonus_back()
    {
        ContextGraph graph = Graph(2f, [2, 3, 4]);
        ContextState s = ContextState.Start;
        s = graph.Next(s, 2, out float b1);
        s = graph.Next(s, 3, out float b2);
        Assert.Equal((2f, 2f), (b1, b2));
        Assert.Equal(-4f, graph.FinalAdjustment(s)); // ending here: the unfinished match is worth nothing
        ContextState broken = graph.Next(s, 5, out float b3);
        Assert.Equal(-4f, b3);
        Assert.Equal(0f, graph.BonusIn(broken));
        ContextState done = graph.Next(s, 4, out float b4);
        Assert.Equal(2f, b4);
        Assert.Equal(6f, graph.BonusIn(done));
        Assert.Equal(0f, graph.FinalAdjustment(done));
        graph.Next(done, 9, out float after);
        Assert.Equal(0f, after); // a completed phrase is never given back
    }

    [Fact]
    public void A_failure_falls_back_to_the_longest_suffix_and_keeps_its_bonus()
    {
        // "1 2 3" breaks at 9 after "1 2"; "2 9" is a prefix of another phrase: keep the bonus of one token.
        ContextGraph graph = Graph(1f, [1, 2, 3], [2, 9, 7]);
        ContextState s = ContextState.Start;
        s = graph.Next(s, 1, out _);
        s = graph.Next(s, 2, out _);
        s = graph.Next(s, 9, out float bonus);
        Assert.Equal(0f, bonus); // 2 tokens given back, then "2 9" is worth 2
        Assert.Equal(2f, graph.BonusIn(s));
        Assert.Equal([2, 9], graph.PathOf(s.Node));
    }

    [Fact]
    public void A_phrase_completed_inside_a_longer_one_is_kept_when_the_longer_one_breaks()
    {
        ContextGraph graph = Graph(1f, [2, 3], [2, 3, 4, 5]);
        ContextState s = ContextState.Start;
        float total = 0;
        foreach (int token in new[] { 2, 3, 4 })
        {
            s = graph.Next(s, token, out float b);
            total += b;
        }

        Assert.Equal(3f, total);
        Assert.Equal(-1f, graph.FinalAdjustment(s)); // only the token past the completed "2 3" is unfinished
        s = graph.Next(s, 8, out float broken);
        Assert.Equal(-1f, broken);
        Assert.Equal(2f, graph.BonusIn(s));
    }

    [Fact]
    public void Bonuses_add_up_to_the_state_bonus_on_random_sequences()
    {
        var random = new Random(9);
        int[][] phrases = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(4)).ToArray()).ToArray();
        ContextGraph graph = ContextGraph.FromTokens(phrases.Select((p, i) => (p, 0.5f + (i % 3))));
        ContextState s = ContextState.Start;
        double total = 0;
        for (int i = 0; i < 3000; i++)
        {
            s = graph.Next(s, random.Next(5), out float b);
            total += b;
            Assert.True(Math.Abs(total - graph.BonusIn(s)) < 1e-2, $"step {i}");
            Assert.True(graph.FinalAdjustment(s) <= 0);
        }
    }

    [Fact]
    public void A_nodes_cached_expansion_equals_stepping_each_token()
    {
        var random = new Random(12);
        int[][] phrases = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(6)).ToArray()).ToArray();
        ContextGraph graph = ContextGraph.FromTokens(phrases.Select((p, i) => (p, 1f + (i % 4))));
        var bonus = new float[9];
        var next = new int[9];
        var kept = new float[9];
        for (int node = 0; node < graph.NodeCount; node++)
        {
            graph.Expand(node, bonus, next, kept);
            var state = new ContextState(node, 2.5f);
            for (int token = 0; token < 9; token++)
            {
                ContextState expected = graph.Next(state, token, out float expectedBonus);
                Assert.Equal(expectedBonus, bonus[token], 5);
                Assert.Equal(expected.Node, next[token]);
                Assert.Equal(expected.Kept, state.Kept + kept[token], 5);
            }
        }
    }

    [Fact]
    public void Shared_prefixes_take_the_larger_boost_and_bad_input_is_reported()
    {
        ContextGraph graph = ContextGraph.FromTokens([([1, 2], 1f), ([1, 3], 4f)]);
        graph.Next(ContextState.Start, 1, out float first);
        Assert.Equal(4f, first);

        var error = Assert.Throws<ArgumentException>(() => ContextGraph.FromTokens([([], 1f), ([1], -2f), ([2], float.NaN)]));
        Assert.Contains("phrase 1 has no tokens", error.Message);
        Assert.Contains("phrase 2 has boost -2", error.Message);
        Assert.Contains("phrase 3 has boost NaN", error.Message);
    }

    [Fact]
    public void Phrase_files_take_an_optional_tab_separated_boost()
    {
        List<ContextPhrase> phrases = ContextPhrase.Parse(["ALICE SMITH", "", "kitchen lamp\t2.5", "  bob  "], "names.txt");
        Assert.Equal([new ContextPhrase("ALICE SMITH"), new ContextPhrase("kitchen lamp", 2.5f), new ContextPhrase("bob")], phrases);
        var error = Assert.Throws<FormatException>(() => ContextPhrase.Parse(["A", "B\tlots"], "names.txt"));
        Assert.StartsWith("names.txt:2:", error.Message);
    }
}
