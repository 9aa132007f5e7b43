namespace EdgeVoice.Asr;

/// <summary>How a <see cref="Recognizer"/> searches the transducer's output (training/search.py has both).</summary>
public enum DecodingMethod
{
    /// <summary>Best symbol per step, up to <see cref="RecognizerOptions.MaxSymbolsPerFrame"/> per frame. Fastest; allocates nothing per frame.</summary>
    Greedy,

    /// <summary>Modified beam search: each frame every hypothesis takes blank or one token, the best <see cref="RecognizerOptions.BeamWidth"/> survive, equal token sequences merge (log-add).</summary>
    ModifiedBeamSearch,
}
