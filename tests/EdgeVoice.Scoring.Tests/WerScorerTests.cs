namespace EdgeVoice.Scoring.Tests;

public sealed class WerScorerTests
{
    private static List<TrnUtterance> Trn(string text, string name) => TrnFile.Parse(new StringReader(text), name).ToList();

    [Fact]
    public void Totals_and_speakers_match_the_worked_example()
    {
        // The same input scored by sclite 2.10 (-i rm -o rsum) gives these numbers.
        var references = Trn("a b c d (spk1-u1)\na b c (spk1-u2)\n(spk2-u1)\nX y z (spk2_x-u2)\na a a (Spk3_u1)\n", "ref.trn");
        var hypotheses = Trn("a x c (spk1-u1)\n(spk1-u2)\na b (spk2-u1)\nx Y z w (spk2_x-u2)\nb a (SPK3_u1)\n", "hyp.trn");

        var report = WerScorer.Score(references, hypotheses);

        var totals = report.Totals;
        Assert.Equal((5, 13, 6, 2, 5, 3, 10, 5),
            (totals.Utterances, totals.Words, totals.Correct, totals.Substitutions, totals.Deletions, totals.Insertions, totals.Errors, totals.UtterancesWithErrors));
        Assert.Equal("76.9", totals.WerPercent!.Value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["spk1", "spk2", "spk2_x", "spk3"], report.Speakers.Select(s => s.Speaker));
        Assert.Equal([7, 0, 3, 3], report.Speakers.Select(s => s.Counts.Words));
        Assert.Equal([5, 2, 1, 2], report.Speakers.Select(s => s.Counts.Errors));
        Assert.Null(report.Speakers[1].Counts.WerPercent);
        Assert.Equal("spk3_u1", report.Utterances[4].Id);
    }

    [Fact]
    public void Case_sensitive_option_keeps_case()
    {
        var references = Trn("Hello world (s-1)\n", "ref.trn");
        var hypotheses = Trn("hello world (s-1)\n", "hyp.trn");

        Assert.Equal(0, WerScorer.Score(references, hypotheses).Totals.Errors);
        Assert.Equal(1, WerScorer.Score(references, hypotheses, new ScoringOptions { CaseSensitive = true }).Totals.Substitutions);
    }

    [Fact]
    public void Only_ascii_letters_are_folded_like_sclite()
    {
        var report = WerScorer.Score([ScoringPair.FromText("s-1", "ÉCOLE Straße", "école STRASSE")]);

        Assert.Equal(["École", "straße"], report.Utterances[0].Words.Select(w => w.Reference));
        Assert.Equal(2, report.Totals.Substitutions);
    }

    [Fact]
    public void Hypothesis_without_reference_names_hypothesis_file_and_line()
    {
        var references = Trn("a (s-1)\n", "ref.trn");
        var hypotheses = Trn("a (s-1)\nb (s-2)\n", "hyp.trn");

        var error = Assert.Throws<TrnFormatException>(() => WerScorer.Score(references, hypotheses));

        Assert.Equal(("hyp.trn", 2), (error.SourceName, error.LineNumber));
        Assert.Contains("'s-2' has no reference", error.Problem);
    }

    [Fact]
    public void Ids_differing_only_in_case_are_duplicates_when_case_is_ignored()
    {
        var references = Trn("a (s-1)\nb (S-1)\n", "ref.trn");

        var error = Assert.Throws<TrnFormatException>(() => WerScorer.Score(references, []));

        Assert.Equal(("ref.trn", 2), (error.SourceName, error.LineNumber));
        Assert.Contains("duplicate reference utterance id 'S-1'", error.Problem);
    }

    [Fact]
    public void Missing_hypotheses_follow_the_policy()
    {
        var references = Trn("a b (s-1)\nc d e (t-2)\n", "ref.trn");
        var hypotheses = Trn("a b (s-1)\n", "hyp.trn");

        var ignored = WerScorer.Score(references, hypotheses);
        var asEmpty = WerScorer.Score(references, hypotheses, new ScoringOptions { MissingHypothesis = MissingHypothesisPolicy.ScoreAsEmpty });
        var error = Assert.Throws<TrnFormatException>(() =>
            WerScorer.Score(references, hypotheses, new ScoringOptions { MissingHypothesis = MissingHypothesisPolicy.Error }));

        Assert.Equal((1, 2, 0), (ignored.Totals.Utterances, ignored.Totals.Words, ignored.Totals.Errors));
        Assert.Equal((2, 5, 3), (asEmpty.Totals.Utterances, asEmpty.Totals.Words, asEmpty.Totals.Deletions));
        Assert.Equal(["s", "t"], asEmpty.Speakers.Select(s => s.Speaker));
        Assert.Equal(("ref.trn", 2), (error.SourceName, error.LineNumber));
    }

    [Fact]
    public void Speaker_mismatch_between_reference_and_hypothesis_is_rejected()
    {
        TrnUtterance[] references = [new("u1", "alice", ["a"])];
        TrnUtterance[] hypotheses = [new("u1", "bob", ["a"])];

        var error = Assert.Throws<TrnFormatException>(() => WerScorer.Score(references, hypotheses));

        Assert.Equal(("(in-memory hypotheses)", 1), (error.SourceName, error.LineNumber));
        Assert.Contains("speaker 'bob'", error.Problem);
    }

    [Fact]
    public void In_memory_pairs_use_the_given_speakers()
    {
        var report = WerScorer.Score(
        [
            ScoringPair.FromText("utt1", "Alice", "turn on the light", "turn of the light"),
            ScoringPair.FromText("utt2", "bob", "stop", "stop now"),
            ScoringPair.FromText("utt3", "alice", "play music", ""),
        ]);

        Assert.Equal(["alice", "bob"], report.Speakers.Select(s => s.Speaker));
        Assert.Equal((6, 1, 2, 0), (report.Speakers[0].Counts.Words, report.Speakers[0].Counts.Substitutions, report.Speakers[0].Counts.Deletions, report.Speakers[0].Counts.Insertions));
        Assert.Equal(4 * 100.0 / 7, report.Totals.WerPercent);
    }

    [Fact]
    public void In_memory_duplicate_ids_name_the_item()
    {
        var error = Assert.Throws<TrnFormatException>(() => WerScorer.Score(
            [ScoringPair.FromText("u-1", "a", "a"), ScoringPair.FromText("U-1", "b", "b")]));

        Assert.Equal(("(in-memory pairs)", 2), (error.SourceName, error.LineNumber));
    }

    [Fact]
    public void Scoring_files_reads_both()
    {
        var directory = Directory.CreateTempSubdirectory("edgevoice-score-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "ref.trn"), "a b c (s-1)\n");
            File.WriteAllText(Path.Combine(directory, "hyp.trn"), "a c (s-1)\n");

            var report = WerScorer.ScoreFiles(Path.Combine(directory, "ref.trn"), Path.Combine(directory, "hyp.trn"));

            Assert.Equal("CDC", string.Concat(report.Utterances[0].Words.Select(w => w.Label)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Undefined_policy_is_rejected_by_validation()
    {
        var options = new ScoringOptions { MissingHypothesis = (MissingHypothesisPolicy)42 };

        var error = Assert.Throws<ArgumentException>(() => WerScorer.Score([ScoringPair.FromText("s-1", "a", "a")], options));

        Assert.Contains("MissingHypothesis", error.Message);
    }
}
