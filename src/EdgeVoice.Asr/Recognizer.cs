using EdgeVoice.Audio;

namespace EdgeVoice.Asr;

/// <summary>
/// Streaming speech recognizer: a loaded <see cref="TransducerModel"/> plus decoding options. Load it once;
/// it is immutable and thread-safe, and any number of <see cref="RecognitionStream"/>s (one per utterance,
/// each used by one thread at a time) share it.
/// </summary>
/// <example>
/// <code>
/// var recognizer = new Recognizer(new RecognizerOptions { ModelPath = "models/convrnnt-small.evm" });
/// using var stream = recognizer.CreateStream();
/// foreach (float[] chunk in microphone) { stream.AcceptAudio(chunk, 16000); Console.Write(stream.PartialResult.Text); }
/// stream.InputFinished();
/// Console.WriteLine(stream.FinalResult.Text);
/// </code>
/// </example>
public sealed class Recognizer
{
    /// <summary>Loads the model named by <see cref="RecognizerOptions.ModelPath"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or no model path.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="EdgeVoice.Nn.ModelFormatException">The model file is not usable; the message says why and what to do.</exception>
    public Recognizer(RecognizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ModelPath is null)
        {
            throw new ArgumentException("RecognizerOptions.ModelPath is not set; give the path of a .evm model file (for example models/convrnnt-small.evm).", nameof(options));
        }

        Model = TransducerModel.Load(options.ModelPath);
        Options = options;
    }

    /// <summary>Shares an already loaded model (e.g. one model, greedy and beam recognizers).</summary>
    public Recognizer(TransducerModel model, RecognizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        Options = options;
    }

    /// <summary>The model.</summary>
    public TransducerModel Model { get; }

    /// <summary>The decoding options.</summary>
    public RecognizerOptions Options { get; }

    /// <summary>A new stream for one utterance.</summary>
    public RecognitionStream CreateStream() => new(Model, Options);

    /// <summary>Recognises a whole signal (mono floats in [−1, 1]) at once.</summary>
    public RecognitionResult Recognize(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (samples.IsEmpty)
        {
            throw new EmptyAudioException("<samples>", "holds no samples", "pass at least one sample of audio");
        }

        using RecognitionStream stream = CreateStream();
        stream.AcceptAudio(samples, sampleRate);
        stream.InputFinished();
        return stream.FinalResult;
    }

    /// <summary>Recognises an audio clip.</summary>
    public RecognitionResult Recognize(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Recognize(clip.Samples, clip.SampleRate);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Model} with {Options}";
}
