namespace EdgeVoice.Asr;

/// <summary>Streaming sample-rate conversion as a <see cref="RecognitionStream"/> uses it (from <see cref="TransducerModel.CreateResampler"/>).</summary>
internal interface IStreamResampler
{
    /// <summary>Consumes <paramref name="input"/> and appends the output samples that are now complete.</summary>
    void Process(ReadOnlySpan<float> input, List<float> output);

    /// <summary>Ends the stream and appends the remaining output.</summary>
    void Flush(List<float> output);
}
