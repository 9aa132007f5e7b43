using EdgeVoice.Audio;

namespace EdgeVoice.Asr;

/// <summary>EdgeVoice.Audio's Kaiser-windowed polyphase <see cref="Resampler"/>, for models whose metadata names no resampler.</summary>
internal sealed class KaiserStreamResampler(int inputRate, int outputRate) : IStreamResampler
{
    private readonly Resampler _resampler = new(inputRate, outputRate);

    public void Process(ReadOnlySpan<float> input, List<float> output) => _resampler.Process(input, output);

    public void Flush(List<float> output) => _resampler.Flush(output);
}
