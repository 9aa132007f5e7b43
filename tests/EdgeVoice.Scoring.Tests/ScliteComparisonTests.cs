namespace EdgeVoice.Scoring.Tests;

/// <summary>
/// Scores random transcripts with WerScorer and with NIST sclite and requires identical numbers:
/// totals, every speaker, and every utterance's counts and alignment.
/// Needs sclite: `apt-get install sctk`. The test fails (never skips) when it is missing.
/// </summary>
public sealed class ScliteComparisonTests : IDisposable
{
    private const int Pairs = 400;

    private readonly string directory = Directory.CreateTempSubdirectory("edgevoice-sclite-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Sclite_is_installed()
    {
        var sclite = ScliteRunner.Locate();
        Assert.True(File.Exists(sclite));
    }

    [Theory]
    [InlineData(20250611)]
    [InlineData(7)]
    [InlineData(123456)]
    public void Random_transcripts_score_exactly_as_sclite(int seed)
    {
        var (references, hypotheses) = RandomTranscripts.Generate(seed, Pairs, referencesWithoutHypothesis: 7);
        var referencePath = Path.Combine(directory, "ref.trn");
        var hypothesisPath = Path.Combine(directory, "hyp.trn");
        TrnFile.Write(referencePath, references);
        TrnFile.Write(hypothesisPath, hypotheses);

        var ours = WerScorer.ScoreFiles(referencePath, hypothesisPath);
        var sclite = ScliteRunner.Run(referencePath, hypothesisPath);

        Assert.Equal(Pairs, ours.Utterances.Count);
        AssertSameCounts("total", sclite.Totals, ours.Totals);
        Assert.Equal(sclite.TotalErrPercent, ours.Totals.WerPercent!.Value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(sclite.Speakers.Keys.Order(), ours.Speakers.Select(s => s.Speaker).Order());
        foreach (var speaker in ours.Speakers)
        {
            AssertSameCounts($"speaker {speaker.Speaker}", sclite.Speakers[speaker.Speaker], speaker.Counts);
        }

        Assert.Equal(Pairs, sclite.Utterances.Count);
        foreach (var utterance in ours.Utterances)
        {
            var theirs = sclite.Utterances[utterance.Id];
            var counts = utterance.Counts;
            Assert.True(
                (theirs.Correct, theirs.Substitutions, theirs.Deletions, theirs.Insertions) ==
                (counts.Correct, counts.Substitutions, counts.Deletions, counts.Insertions),
                $"utterance {utterance.Id}: sclite C/S/D/I {theirs.Correct}/{theirs.Substitutions}/{theirs.Deletions}/{theirs.Insertions}, " +
                $"ours {counts.Correct}/{counts.Substitutions}/{counts.Deletions}/{counts.Insertions}");
            Assert.Equal(theirs.Reference, utterance.Words.Select(w => w.Reference));
            Assert.Equal(theirs.Hypothesis, utterance.Words.Select(w => w.Hypothesis));
        }
    }

    private static void AssertSameCounts(string what, ScliteCounts sclite, ErrorCounts ours)
    {
        var expected = (sclite.Sentences, sclite.Words, sclite.Correct, sclite.Substitutions, sclite.Deletions, sclite.Insertions, sclite.Errors, sclite.SentenceErrors);
        var actual = (ours.Utterances, ours.Words, ours.Correct, ours.Substitutions, ours.Deletions, ours.Insertions, ours.Errors, ours.UtterancesWithErrors);
        Assert.True(expected == actual, $"{what}: sclite (Snt, Wrd, C, S, D, I, Err, S.Err) {expected}, ours {actual}");
    }
}
