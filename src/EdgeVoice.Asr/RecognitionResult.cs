namespace EdgeVoice.Asr;

/// <summary>What a <see cref="RecognitionStream"/> recognised so far (partial) or in the whole utterance (final).</summary>
public sealed class RecognitionResult
{
    internal RecognitionResult(IReadOnlyList<RecognitionHypothesis> nbest, IReadOnlyList<string> pieces, int frames, double frameDuration, bool isFinal)
    {
        NBest = nbest;
        Best = nbest[0];
        Tokens = Best.TokenIds.Select(id => pieces[id]).ToArray();
        FramesDecoded = frames;
        FrameDuration = frameDuration;
        IsFinal = isFinal;
    }

    /// <summary>The best hypothesis.</summary>
    public RecognitionHypothesis Best { get; }

    /// <summary>The best hypothesis's text.</summary>
    public string Text => Best.Text;

    /// <summary>The best hypothesis's token ids.</summary>
    public IReadOnlyList<int> TokenIds => Best.TokenIds;

    /// <summary>The best hypothesis's tokens as SentencePiece pieces.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Encoder frame of each token of the best hypothesis.</summary>
    public IReadOnlyList<int> TokenFrames => Best.TokenFrames;

    /// <summary>Words of the best hypothesis with start/end times and confidences.</summary>
    public IReadOnlyList<RecognizedWord> Words => Best.Words;

    /// <summary>Hypotheses best first: one for greedy search, up to <see cref="RecognizerOptions.NBestSize"/> for beam search.</summary>
    public IReadOnlyList<RecognitionHypothesis> NBest { get; }

    /// <summary>Encoder frames decoded.</summary>
    public int FramesDecoded { get; }

    /// <summary>Seconds per encoder frame.</summary>
    public double FrameDuration { get; }

    /// <summary>Audio decoded so far, in seconds (frames × frame duration).</summary>
    public double DecodedSeconds => FramesDecoded * FrameDuration;

    /// <summary>True for the result after <see cref="RecognitionStream.InputFinished"/>.</summary>
    public bool IsFinal { get; }

    /// <summary>A lattice of the n-best hypotheses' words (<see cref="WordLattice.FromHypotheses"/>).</summary>
    public WordLattice ToLattice(string utterance = "") => WordLattice.FromHypotheses(NBest, FrameDuration, utterance);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
