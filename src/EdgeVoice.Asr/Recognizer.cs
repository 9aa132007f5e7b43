using EdgeVoice.Asr.Biasing;
using EdgeVoice.Asr.Endpointing;
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
    private readonly Lazy<SentencePieceBpeEncoder> _encoder;

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
        _encoder = new(() => SentencePieceBpeEncoder.ForModel(Model));
    }

    /// <summary>Shares an already loaded model (e.g. one model, greedy and beam recognizers).</summary>
    public Recognizer(TransducerModel model, RecognizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        Options = options;
        _encoder = new(() => SentencePieceBpeEncoder.ForModel(Model));
    }

    /// <summary>The model.</summary>
    public TransducerModel Model { get; }

    /// <summary>The decoding options.</summary>
    public RecognizerOptions Options { get; }

    /// <summary>
    /// A new stream, biased towards <paramref name="context"/>'s phrases when one is given. Without
    /// <paramref name="endpointing"/> the stream is one utterance; with it, the stream end-points and continues
    /// with fresh utterances (events: <see cref="RecognitionStream.TryGetEndpointEvent"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A context with greedy decoding (biasing needs beam search), a context built for a larger vocabulary, or invalid end-pointing options.</exception>
    public RecognitionStream CreateStream(ContextGraph? context = null, EndpointingOptions? endpointing = null)
    {
        endpointing?.Validate();
        if (context is not null && Options.DecodingMethod != DecodingMethod.ModifiedBeamSearch)
        {
            throw new ArgumentException(
                "Contextual biasing works in beam search only; create the recognizer with RecognizerOptions.DecodingMethod = DecodingMethod.ModifiedBeamSearch.", nameof(context));
        }

        if (context is not null && context.MaxTokenId >= Model.VocabSize)
        {
            throw new ArgumentException(
                $"The context holds token id {context.MaxTokenId} but the model has {Model.VocabSize} tokens; build it with this model's encoder (Recognizer.CreateContext).", nameof(context));
        }

        return new(Model, Options, context, endpointing);
    }

    /// <summary>A biasing context over <paramref name="phrases"/>, tokenized with this model's pieces; give it to <see cref="CreateStream"/>.</summary>
    public ContextGraph CreateContext(IEnumerable<ContextPhrase> phrases, float defaultBoost = ContextGraph.DefaultBoost) =>
        ContextGraph.Build(phrases, _encoder.Value, defaultBoost);

    /// <summary>Recognises a whole signal (mono floats in [−1, 1]) at once, optionally biased towards a context.</summary>
    public RecognitionResult Recognize(ReadOnlySpan<float> samples, int sampleRate, ContextGraph? context = null)
    {
        if (samples.IsEmpty)
        {
            throw new EmptyAudioException("<samples>", "holds no samples", "pass at least one sample of audio");
        }

        using RecognitionStream stream = CreateStream(context);
        stream.AcceptAudio(samples, sampleRate);
        stream.InputFinished();
        return stream.FinalResult;
    }

    /// <summary>Recognises an audio clip.</summary>
    public RecognitionResult Recognize(AudioClip clip, ContextGraph? context = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Recognize(clip.Samples, clip.SampleRate, context);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Model} with {Options}";
}
