using EdgeVoice.Asr.Biasing;

namespace EdgeVoice.Asr.Tests.Biasing;

public sealed class SentencePieceBpeEncoderTests
{
    private static SentencePieceBpeEncoder Bpe256()
    {
        string vocab = Path.Combine(GoldenSet.RepositoryRoot(), "training", "tokenizer", "bpe256.vocab");
        string[] pieces = File.ReadAllLines(vocab).Select(l => l.Split('\t')[0]).ToArray();
        return new SentencePieceBpeEncoder(pieces, [0, 1], 1);
    }

    [Fact]
    public void Matches_python_sentencepiece_on_transcripts_and_names()
    {
        // Golden ids from tests/EdgeVoice.Asr.Tests/Biasing/sentencepiece_golden.py (Python SentencePiece, bpe256.model).
        SentencePieceBpeEncoder encoder = Bpe256();
        string golden = Path.Combine(GoldenSet.RepositoryRoot(), "tests", "EdgeVoice.Asr.Tests", "Biasing", "sentencepiece_golden.tsv");
        string[] lines = File.ReadAllLines(golden);
        Assert.True(lines.Length > 300);
        foreach (string line in lines)
        {
            string[] parts = line.Split('\t');
            int[] expected = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            Assert.True(expected.SequenceEqual(encoder.Encode(parts[0])),
                $"'{parts[0]}': expected {parts[1]}, got {string.Join(' ', encoder.Encode(parts[0]))}; regenerate with /usr/bin/python3 tests/EdgeVoice.Asr.Tests/Biasing/sentencepiece_golden.py if the tokenizer changed");
        }
    }

    [Fact]
    public void Merges_by_piece_rank_and_marks_word_starts()
    {
        string[] pieces = ["<blk>", "<unk>", "AB", "▁A", "BC", "▁", "A", "B", "C"];
        var encoder = new SentencePieceBpeEncoder(pieces, [0, 1], 1);

        // "▁ABC": pairs ▁A (3), AB (2), BC (4): AB has the lowest id and merges first, then nothing else applies.
        Assert.Equal(["▁", "AB", "C"], encoder.EncodeAsPieces("abc"));
        Assert.Equal(["▁A", "▁A"], encoder.EncodeAsPieces("  a \t a "));
        Assert.Equal([3, 1], encoder.Encode("AXY")); // a run of unknown characters is one unknown id
        Assert.Empty(encoder.Encode("   "));
    }

    [Fact]
    public void The_tiny_models_encoder_never_produces_blank()
    {
        var encoder = SentencePieceBpeEncoder.ForModel(TransducerModel.Load(TinyModel.File));
        Assert.Equal([2, 3, 8], encoder.Encode("ab g"));
        Assert.DoesNotContain(0, encoder.Encode("<blk> a"));
    }
}
