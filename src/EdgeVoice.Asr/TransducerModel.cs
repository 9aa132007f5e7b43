using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Text.Json;
using EdgeVoice.Features;
using EdgeVoice.Nn;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Asr;

/// <summary>
/// A convrnnt-v1 streaming transducer (training/model.py) ready to run: encoder (CMVN → causal Conv2d
/// subsampling → local conv block → global cumulative-mean block → LayerNorm → LSTM, plus a linear path around
/// the LSTM), stateless predictor and joiner. Files exported before the LayerNorm or the linear path existed
/// (<see cref="HasEncoderNorm"/>, <see cref="HasEncoderSkip"/> false) run without them, as they were trained.
/// Everything it knows (feature options, subsampling, chunk size, vocabulary, blank) comes from the model
/// file's metadata. Immutable and thread-safe: any number of streams share one instance, each with its own
/// <see cref="EncoderState"/> and <see cref="FloatArena"/>.
/// </summary>
/// <example>
/// <code>
/// var model = TransducerModel.Load("models/convrnnt-small.evm");
/// var state = model.CreateEncoderState();
/// var arena = new FloatArena();
/// var encoderOut = new float[model.ChunkSize * model.EncoderOutputDim];
/// int frames = model.EncodeChunk(fbankFrames, state, encoderOut, arena);   // fbank before CMVN, [T, mel]
/// </code>
/// </example>
public sealed class TransducerModel
{
    /// <summary>Floats of scratch a stream starts with (a chunk of this model uses about 70,000; the arena grows if needed).</summary>
    private const int StreamScratchFloats = 256 * 1024;

    /// <summary>Scratch arenas kept for reuse; more streams than this at once allocate their own.</summary>
    private const int MaxPooledScratch = 16;

    /// <summary>
    /// Scratch of finished streams, handed to new ones: a fresh megabyte per stream costs page faults and cache
    /// misses on every first chunk, which for short commands was a third of the encoder's time (docs/compression.md).
    /// </summary>
    private readonly ConcurrentBag<FloatArena> _scratch = new();

    /// <summary>
    /// Decoder projection caches of finished streams: the predictor is stateless, so what one stream computed is
    /// right for the next, and a new stream neither allocates 400 KB nor recomputes the common contexts.
    /// </summary>
    private readonly ConcurrentBag<DecoderProjectionCache> _projectionCaches = new();
    private readonly GlobalCmvn _cmvn;
    private readonly CausalConv2d _conv1;
    private readonly CausalConv2d _conv2;
    private readonly Linear _subsamplingOut;
    private readonly LayerNorm _convNorm;
    private readonly CausalDepthwiseConv1d _depthwise;
    private readonly Linear _pointwise;
    private readonly LayerNorm _globalNorm;
    private readonly Linear _gate;
    private readonly Linear _proj;
    private readonly LayerNorm? _encoderNorm;
    private readonly Linear? _encoderSkip;
    private readonly Lstm _lstm;
    private readonly Embedding _embedding;
    private readonly float[] _predictorTaps;
    private readonly Linear _encoderProj;
    private readonly Linear _decoderProj;
    private readonly Linear _joinerOut;
    private readonly (int LowpassFilterWidth, double Rolloff)? _torchaudioResampling;

    private TransducerModel(ModelFile file)
    {
        File = file;
        Metadata = file.Metadata;
        Dimensions = Metadata.Dimensions;
        var d = Dimensions;
        if (d.SubsamplingFactor != 4)
        {
            throw new ModelFormatException(file.Path, [$"model.subsampling_factor is {d.SubsamplingFactor}; convrnnt-v1 subsamples by 4"], "Re-export the model.");
        }

        FeatureOptions = FeatureOptionsMapping.ToFbankOptions(Metadata.Features, file.Path);
        InputScale = Metadata.Features.InputScale == FeatureOptionsMapping.Int16Scale ? 32768f : 1f;
        _torchaudioResampling = ReadTorchaudioResampling(Metadata.Json, file.Path);
        _cmvn = new GlobalCmvn(file.GetTensor("cmvn.mean").Data.Span, file.GetTensor("cmvn.std").Data.Span, source: file.Path);
        _conv1 = CausalConv2d.FromModel(file, "encoder.subsampling.conv1", d.NumMelBins);
        _conv2 = CausalConv2d.FromModel(file, "encoder.subsampling.conv2", d.SubsamplingBins1);
        _subsamplingOut = Linear.FromModel(file, "encoder.subsampling.out");
        float epsilon = Metadata.LayerNormEpsilon;
        _convNorm = Norm(file, "encoder.conv_block.norm", epsilon);
        _depthwise = CausalDepthwiseConv1d.FromModel(file, "encoder.conv_block.depthwise");
        _pointwise = Linear.FromModel(file, "encoder.conv_block.pointwise");
        _globalNorm = Norm(file, "encoder.global_block.norm", epsilon);
        _gate = Linear.FromModel(file, "encoder.global_block.gate");
        _proj = Linear.FromModel(file, "encoder.global_block.proj");
        _encoderNorm = file.HasEncoderNorm ? Norm(file, "encoder.norm", epsilon) : null;
        _encoderSkip = file.HasEncoderSkip ? Linear.FromModel(file, "encoder.skip") : null;
        _lstm = Lstm.FromModel(file, "encoder.lstm", d.LstmLayers);
        _embedding = Embedding.FromModel(file, "predictor.embedding");
        _predictorTaps = TapMajor(file.GetTensor("predictor.conv.weight").Data.Span, d.DecoderDim, d.ContextSize);
        _encoderProj = Linear.FromModel(file, "joiner.encoder_proj");
        _decoderProj = Linear.FromModel(file, "joiner.decoder_proj");
        _joinerOut = Linear.FromModel(file, "joiner.output");
        Tokens = Metadata.Tokens;
    }

    /// <summary>The loaded model file.</summary>
    public ModelFile File { get; }

    /// <summary>The model's metadata.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Network sizes.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>Whether the encoder normalises the global block's output (LayerNorm <c>encoder.norm</c>) before the LSTM.</summary>
    public bool HasEncoderNorm => _encoderNorm is not null;

    /// <summary>Whether the encoder output is <c>LSTM(z) + skip(z)</c> (Linear <c>encoder.skip</c>) rather than <c>LSTM(z)</c>.</summary>
    public bool HasEncoderSkip => _encoderSkip is not null;

    /// <summary>The filterbank options the model was trained with, as the runtime's options.</summary>
    public FbankOptions FeatureOptions { get; }

    /// <summary>Factor applied to samples in [−1, 1] before the filterbank (1, or 32768 for int16-scaled training).</summary>
    public float InputScale { get; }

    /// <summary>
    /// Whether audio at other rates is resampled as in training with torchaudio's sinc interpolation (metadata
    /// <c>resample.function</c> = <c>torchaudio.functional.resample</c>); otherwise with EdgeVoice.Audio's Kaiser resampler.
    /// </summary>
    public bool ResamplesLikeTorchaudio => _torchaudioResampling is not null;

    /// <summary>Sample rate the features are computed at (Hz).</summary>
    public int SampleRate => (int)FeatureOptions.SampleFrequency;

    /// <summary>Tokenizer pieces by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Id of the blank.</summary>
    public int BlankId => Dimensions.BlankId;

    /// <summary>Vocabulary size, blank included.</summary>
    public int VocabSize => Dimensions.VocabSize;

    /// <summary>Tokens the predictor sees.</summary>
    public int ContextSize => Dimensions.ContextSize;

    /// <summary>Encoder output frames per streaming chunk (metadata <c>chunk_size</c>).</summary>
    public int ChunkSize => Dimensions.ChunkSize;

    /// <summary>Feature frames per streaming chunk: <c>ChunkSize · SubsamplingFactor</c>.</summary>
    public int ChunkInputFrames => Dimensions.ChunkSize * Dimensions.SubsamplingFactor;

    /// <summary>Seconds per encoder output frame (frame shift × subsampling factor; 0.04 s).</summary>
    public double FrameDuration => FeatureOptions.FrameShiftMs * 0.001 * Dimensions.SubsamplingFactor;

    /// <summary>Width of an encoder output frame (<c>lstm_hidden</c>).</summary>
    public int EncoderOutputDim => Dimensions.LstmHidden;

    /// <summary>Width of the joiner's hidden layer.</summary>
    public int JoinerDim => Dimensions.JoinerDim;

    /// <summary>Width of the predictor's output.</summary>
    public int DecoderDim => Dimensions.DecoderDim;

    /// <summary>Reads a model file and builds the network.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a usable model; the message says why and what to do.</exception>
    public static TransducerModel Load(string path) => FromModelFile(ModelFile.Load(path));

    /// <summary>Builds the network from an already loaded model file.</summary>
    public static TransducerModel FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new TransducerModel(file);
    }

    /// <summary>A zeroed encoder state for a new utterance.</summary>
    public EncoderState CreateEncoderState() => new(this);

    /// <summary>A scratch arena for one stream: a pooled one when a finished stream gave one back.</summary>
    internal FloatArena RentScratch() => _scratch.TryTake(out FloatArena? arena) ? arena : new FloatArena(StreamScratchFloats);

    /// <summary>Gives a stream's arena back; its owner must not use it afterwards.</summary>
    internal void ReturnScratch(FloatArena arena)
    {
        arena.Reset();
        if (_scratch.Count < MaxPooledScratch)
        {
            _scratch.Add(arena);
        }
    }

    /// <summary>A decoder projection cache for one stream: a pooled one (still holding its entries) when there is one.</summary>
    internal DecoderProjectionCache RentProjectionCache() =>
        _projectionCaches.TryTake(out DecoderProjectionCache? cache) ? cache : new DecoderProjectionCache(this);

    /// <summary>Gives a stream's projection cache back; its owner must not use it afterwards.</summary>
    internal void ReturnProjectionCache(DecoderProjectionCache cache)
    {
        if (_projectionCaches.Count < MaxPooledScratch)
        {
            _projectionCaches.Add(cache);
        }
    }

    /// <summary>Encoder output frames a chunk of <paramref name="inputFrames"/> feature frames gives: ⌈⌈T/2⌉/2⌉.</summary>
    public static int EncoderFramesFor(int inputFrames) => Conv2dStride2.OutputFrames(Conv2dStride2.OutputFrames(inputFrames));

    /// <summary>
    /// Runs one chunk of feature frames through the encoder. Chunks must hold a multiple of 4 frames except
    /// the last of an utterance (the recognizer always uses <see cref="ChunkInputFrames"/>).
    /// </summary>
    /// <param name="fbank">Time-major filterbank frames <c>[T, mel]</c> before CMVN (CMVN is applied here).</param>
    /// <param name="state">The utterance's state; updated.</param>
    /// <param name="output">Room for <see cref="EncoderFramesFor"/>(T) frames of <see cref="EncoderOutputDim"/>.</param>
    /// <param name="arena">Per-stream scratch; reset here.</param>
    /// <returns>The number of encoder frames written.</returns>
    public int EncodeChunk(ReadOnlySpan<float> fbank, EncoderState state, Span<float> output, FloatArena arena)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(arena);
        var d = Dimensions;
        if (fbank.Length % d.NumMelBins != 0)
        {
            throw new ArgumentException($"The features must hold whole frames of {d.NumMelBins} values.", nameof(fbank));
        }

        int t = fbank.Length / d.NumMelBins;
        int t2 = EncoderFramesFor(t);
        if (output.Length < t2 * EncoderOutputDim)
        {
            throw new ArgumentException($"The output needs room for {t2} frames of {EncoderOutputDim} values.", nameof(output));
        }

        if (t == 0)
        {
            return 0;
        }

        arena.Reset();
        int dim = d.EncoderDim;
        Span<float> x = arena.Rent(fbank.Length);
        fbank.CopyTo(x);
        _cmvn.Apply(x);

        int t1 = Conv2dStride2.OutputFrames(t);
        Span<float> y1 = arena.Rent(t1 * _conv1.OutFrameSize);
        _conv1.Forward(x, state.SubsamplingCache1, y1, arena);
        Activations.Relu(y1, y1);
        Span<float> y2 = arena.Rent(t2 * _conv2.OutFrameSize);
        _conv2.Forward(y1, state.SubsamplingCache2, y2, arena);
        Activations.Relu(y2, y2);
        Span<float> h = arena.Rent(t2 * dim);
        _subsamplingOut.Forward(y2, h);

        Span<float> z = arena.Rent(t2 * dim);
        Span<float> u = arena.Rent(t2 * dim);
        Span<float> v = arena.Rent(t2 * dim);
        _convNorm.Forward(h, z);
        _depthwise.Forward(z, state.ConvBlockCache, u);
        Activations.Swish(u, u);
        _pointwise.Forward(u, v);
        TensorPrimitives.Add(h, v, h);

        _globalNorm.Forward(h, z);
        _gate.Forward(z, u);
        Activations.Sigmoid(u, u);
        CumulativeMean.Update(z, state.GlobalSum, ref state.GlobalCountRef, z);
        _proj.Forward(z, v);
        TensorPrimitives.MultiplyAdd(u, v, h, h);

        _encoderNorm?.Forward(h, h);
        Span<float> encoded = output[..(t2 * EncoderOutputDim)];
        _lstm.Forward(h, state.LstmHidden, state.LstmCell, encoded, arena);
        if (_encoderSkip is not null)
        {
            Span<float> skip = arena.Rent(encoded.Length);
            _encoderSkip.Forward(h, skip);
            TensorPrimitives.Add(encoded, skip, encoded);
        }

        state.FramesOut += t2;
        return t2;
    }

    /// <summary>Joiner input projection of encoder frames: <c>[T, H] → [T, J]</c>.</summary>
    public void ProjectEncoder(ReadOnlySpan<float> encoderOut, Span<float> projected) => _encoderProj.Forward(encoderOut, projected);

    /// <summary>
    /// The stateless predictor on one context (<see cref="ContextSize"/> token ids, oldest first, blank before
    /// the start): <c>ReLU(Σ_k w[:, k] ⊙ emb[ctx_k])</c>, <see cref="DecoderDim"/> values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Predict(ReadOnlySpan<int> context, Span<float> output)
    {
        int dim = DecoderDim;
        if (context.Length != ContextSize)
        {
            throw new ArgumentException($"The context must hold {ContextSize} token ids.", nameof(context));
        }

        if (output.Length != dim)
        {
            throw new ArgumentException($"The output must hold {dim} values.", nameof(output));
        }

        output.Clear();
        for (int k = 0; k < context.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(_predictorTaps.AsSpan(k * dim, dim), _embedding[context[k]], output, output);
        }

        Activations.Relu(output, output);
    }

    /// <summary>The predictor followed by the joiner's decoder projection, <see cref="JoinerDim"/> values.</summary>
    /// <param name="context">Token ids, oldest first.</param>
    /// <param name="projected">The projection.</param>
    /// <param name="scratch">At least <see cref="DecoderDim"/> floats.</param>
    public void ProjectDecoder(ReadOnlySpan<int> context, Span<float> projected, Span<float> scratch)
    {
        Span<float> predicted = scratch[..DecoderDim];
        Predict(context, predicted);
        _decoderProj.Forward(predicted, projected);
    }

    /// <summary>Joiner logits: <c>output(tanh(encoderProjected + decoderProjected))</c>.</summary>
    /// <param name="encoderProjected"><see cref="JoinerDim"/> values of one frame.</param>
    /// <param name="decoderProjected"><see cref="JoinerDim"/> values of one context.</param>
    /// <param name="hidden">Scratch of <see cref="JoinerDim"/> floats.</param>
    /// <param name="logits"><see cref="VocabSize"/> values.</param>
    public void Join(ReadOnlySpan<float> encoderProjected, ReadOnlySpan<float> decoderProjected, Span<float> hidden, Span<float> logits)
    {
        TensorPrimitives.Add(encoderProjected, decoderProjected, hidden);
        Activations.Tanh(hidden, hidden);
        _joinerOut.Forward(hidden, logits);
    }

    /// <summary>A streaming converter from <paramref name="inputRate"/> to <see cref="SampleRate"/>, the way the model's training resampled.</summary>
    internal IStreamResampler CreateResampler(int inputRate) => _torchaudioResampling is var (width, rolloff)
        ? new TorchaudioSincResampler(inputRate, SampleRate, width, rolloff)
        : new KaiserStreamResampler(inputRate, SampleRate);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Metadata.Name} ({Metadata.Architecture}{(HasEncoderNorm ? "" : " without encoder.norm")}{(HasEncoderSkip ? " with encoder.skip" : "")}: {Dimensions})";

    /// <summary>Metadata <c>resample</c> (training/params.py RESAMPLE_OPTIONS), when it names torchaudio's resampler.</summary>
    private static (int, double)? ReadTorchaudioResampling(string json, string path)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("resample", out JsonElement r) || r.ValueKind != JsonValueKind.Object
            || !r.TryGetProperty("function", out JsonElement function) || function.GetString() != "torchaudio.functional.resample")
        {
            return null;
        }

        string method = r.TryGetProperty("resampling_method", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "sinc_interpolation";
        if (method != "sinc_interpolation"
            || !r.TryGetProperty("lowpass_filter_width", out JsonElement width) || !width.TryGetInt32(out int w) || w <= 0
            || !r.TryGetProperty("rolloff", out JsonElement rolloff) || rolloff.ValueKind != JsonValueKind.Number || !(rolloff.GetDouble() is > 0 and <= 1))
        {
            throw new ModelFormatException(
                path,
                [$"metadata \"resample\" is {r.GetRawText()}; the runtime reproduces torchaudio's sinc_interpolation with a positive integer lowpass_filter_width and a rolloff in (0, 1]"],
                "Re-export the model with: /usr/bin/python3 training/export.py --checkpoint <checkpoint.pt> --output <model.evm>");
        }

        return (w, rolloff.GetDouble());
    }

    private static LayerNorm Norm(ModelFile file, string prefix, float epsilon) =>
        new(file.GetTensor(prefix + ".weight").Data, file.GetTensor(prefix + ".bias").Data, epsilon);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] TapMajor(ReadOnlySpan<float> weight, int channels, int taps)
    {
        var result = new float[weight.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int k = 0; k < taps; k++)
            {
                result[(k * channels) + c] = weight[(c * taps) + k];
            }
        }

        return result;
    }
}
