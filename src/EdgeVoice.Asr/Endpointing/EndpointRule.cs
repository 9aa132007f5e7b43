namespace EdgeVoice.Asr.Endpointing;

/// <summary>Which end-pointing rule ended an utterance (rules in the spirit of Kaldi's and sherpa-onnx's).</summary>
public enum EndpointRule
{
    /// <summary>No rule fired.</summary>
    None = 0,

    /// <summary>Rule 1: nothing decoded yet and a long trailing silence (the user never spoke).</summary>
    SilenceBeforeSpeech = 1,

    /// <summary>Rule 2: something decoded, then a trailing silence (the user finished).</summary>
    SilenceAfterSpeech = 2,

    /// <summary>Rule 3: the utterance reached its maximum length.</summary>
    MaxUtteranceLength = 3,

    /// <summary>The audio ended (<see cref="RecognitionStream.InputFinished"/>) with an utterance still open.</summary>
    InputFinished = 4,
}
