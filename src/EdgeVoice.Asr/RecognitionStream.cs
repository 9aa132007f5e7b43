using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Diagnostics.CodeAnalysis;
using EdgeVoice.Asr.Biasing;
using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Audio;
using EdgeVoice.Features;
using EdgeVoice.Nn;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Asr;

/// <summary>
/// One utterance being recognised: feed audio with <see cref="AcceptAudio"/> in pieces of any size, read
/// <see cref="PartialResult"/> while it arrives, call <see cref="InputFinished"/> and read
/// <see cref="FinalResult"/>. Every complete chunk of <see cref="TransducerModel.ChunkInputFrames"/> feature
/// frames (with end-pointing, of <see cref="EndpointingOptions.DecisionFrames"/> encoder frames) is encoded and searched as soon as it is ready, so results never depend on how the audio was split.
/// Not thread-safe (one thread per stream); create any number from one <see cref="Recognizer"/>.
/// With end-pointing (<see cref="EndpointingOptions"/>) a stream holds a sequence of utterances: the final
/// end-pointer closes one and the next starts fresh (new search, the encoder keeps its acoustic state); read the
/// events with <see cref="TryGetEndpointEvent"/> after each <see cref="AcceptAudio"/> (docs/endpointing.md).
/// </summary>
public sealed class RecognitionStream : IDisposable
{
    /// <summary>Input samples fed to the features at a time (a quarter second at 16 kHz).</summary>
    private const int FeedSliceSamples = 4096;

    private readonly TransducerModel _model;
    private readonly RecognizerOptions _options;
    private readonly EndpointTracker? _endpoints;
    private readonly Queue<EndpointEvent> _events = new();
    private readonly List<EndpointEvent> _newEvents = [];
    private readonly double _silenceEnergy;
    private readonly double _belowPeak;
    private double _peakEnergy;
    private readonly int _energyFrameSamples;
    private ITransducerSearch _search;
    private int _utteranceStartFrame;
    private double _energySum;
    private int _energySamples;
    private int _energyFrames;
    private int _loudRun;
    private int _lastLoudFrame = -1;
    private readonly OnlineFbank _fbank;
    private readonly EncoderState _state;
    private readonly FloatArena _arena;
    private readonly DecoderProjectionCache _projections;
    private readonly float[] _featureChunk;
    private readonly float[] _encoderOut;
    private readonly float[] _encoderProjected;
    private readonly List<float> _resampled = new(8192);
    private float[] _scaled = [];
    private IStreamResampler? _resampler;
    private int _inputRate;
    private bool _finished;
    private bool _disposed;
    private RecognitionResult? _final;

    internal RecognitionStream(TransducerModel model, RecognizerOptions options, ContextGraph? context = null, EndpointingOptions? endpointing = null)
    {
        _model = model;
        _options = options;
        Context = context;
        Endpointing = endpointing;
        _projections = model.RentProjectionCache();
        _search = CreateSearch();
        _endpoints = endpointing is null ? null : new EndpointTracker(endpointing, model.FrameDuration);
        _silenceEnergy = endpointing?.SilenceEnergyDb is { } db ? Math.Pow(10, db / 10) : endpointing?.SilenceBelowPeakDb is not null ? 0 : -1;
        _belowPeak = endpointing?.SilenceBelowPeakDb is { } rel ? Math.Pow(10, -rel / 10) : 0;
        _energyFrameSamples = (int)Math.Round(model.SampleRate * model.FrameDuration);
        _fbank = new OnlineFbank(model.FeatureOptions);
        _state = model.CreateEncoderState();
        _arena = model.RentScratch();
        // With end-pointing, decode in steps of DecisionFrames (exact: the encoder is causal) so decisions come every step.
        int stepFrames = endpointing is { DecisionFrames: > 0 } e && e.DecisionFrames < model.ChunkSize ? e.DecisionFrames : model.ChunkSize;
        _featureChunk = new float[stepFrames * model.Dimensions.SubsamplingFactor * model.Dimensions.NumMelBins];
        _encoderOut = new float[model.ChunkSize * model.EncoderOutputDim];
        _encoderProjected = new float[model.ChunkSize * model.JoinerDim];
    }

    /// <summary>The biasing context this stream was created with (null: none).</summary>
    public ContextGraph? Context { get; }

    /// <summary>The end-pointers this stream runs (null: none; the stream is one utterance).</summary>
    public EndpointingOptions? Endpointing { get; }

    /// <summary>Sample rate of the audio given so far (0 before the first call to <see cref="AcceptAudio"/>).</summary>
    public int InputSampleRate => _inputRate;

    /// <summary>True after <see cref="InputFinished"/>.</summary>
    public bool IsInputFinished => _finished;

    /// <summary>Encoder frames decoded so far (one per 40 ms).</summary>
    public int FramesDecoded => _utteranceStartFrame + _search.FramesSearched;

    /// <summary>Index of the current utterance (grows by one at each final end-point).</summary>
    public int Utterance => _endpoints?.Utterance ?? 0;

    /// <summary>
    /// Takes the oldest end-pointing event not yet read (in order: speculative, reset with the revised result,
    /// final). A queue rather than C# events so handlers never run inside <see cref="AcceptAudio"/>.
    /// </summary>
    public bool TryGetEndpointEvent([NotNullWhen(true)] out EndpointEvent? endpointEvent) => _events.TryDequeue(out endpointEvent);

    /// <summary>
    /// Adds audio: mono floats in [−1, 1] at <paramref name="sampleRate"/> Hz (8000 to 48000, converted to the
    /// model's rate). Every chunk of a stream must have the same rate. Complete chunks are decoded here.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    /// <exception cref="InvalidOperationException">Audio after <see cref="InputFinished"/>, or a rate different from earlier chunks.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside 8000–48000 Hz.</exception>
    /// <exception cref="ArgumentException">A sample is NaN or infinite.</exception>
    public void AcceptAudio(ReadOnlySpan<float> samples, int sampleRate)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            throw new InvalidOperationException(
                "AcceptAudio was called after InputFinished; create a new stream with Recognizer.CreateStream() for the next utterance.");
        }

        if (!AudioLimits.IsSupportedSampleRate(sampleRate))
        {
            throw new ArgumentOutOfRangeException(
                nameof(sampleRate), sampleRate,
                $"Sample rate {sampleRate} Hz is not supported; give audio at {AudioLimits.MinSampleRate} to {AudioLimits.MaxSampleRate} Hz (it is converted to {_model.SampleRate} Hz).");
        }

        if (_inputRate == 0)
        {
            _inputRate = sampleRate;
            _resampler = sampleRate == _model.SampleRate ? null : _model.CreateResampler(sampleRate);
        }
        else if (sampleRate != _inputRate)
        {
            throw new InvalidOperationException(
                $"This stream's audio is at {_inputRate} Hz but a chunk came at {sampleRate} Hz; keep one rate per stream, or call InputFinished and create a new stream for audio at another rate.");
        }

        if (!float.IsFinite(TensorPrimitives.SumOfMagnitudes(samples)))
        {
            throw new ArgumentException("The audio holds a NaN or infinite sample; give finite samples in [-1, 1].", nameof(samples));
        }

        // A long input goes in slices, decoded as they fill chunks: the feature, resampling and scaling buffers stay
        // the size of a slice (no per-utterance allocation of the whole clip), with the same result as one call.
        for (int start = 0; start < samples.Length; start += FeedSliceSamples)
        {
            ReadOnlySpan<float> slice = samples.Slice(start, Math.Min(FeedSliceSamples, samples.Length - start));
            if (_resampler is null)
            {
                Feed(slice);
            }
            else
            {
                _resampled.Clear();
                _resampler.Process(slice, _resampled);
                Feed(CollectionsMarshal.AsSpan(_resampled));
            }
        }
    }

    /// <summary>Marks the end of the audio and decodes what remains. Further calls do nothing.</summary>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public void InputFinished()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            return;
        }

        if (_resampler is not null)
        {
            _resampled.Clear();
            _resampler.Flush(_resampled);
            Feed(CollectionsMarshal.AsSpan(_resampled));
        }

        _fbank.InputFinished();
        DecodeReadyChunks(final: true);
        _finished = true;
        if (_endpoints is not null)
        {
            _newEvents.Clear();
            if (_endpoints.FinishInput(EndpointState(), FramesDecoded * _model.FrameDuration, Result, _newEvents))
            {
                _final = _newEvents[^1].Result;
            }

            _newEvents.ForEach(_events.Enqueue);
        }
    }

    /// <summary>The best result so far (and its n-best); cheap to skip, it allocates the result objects.</summary>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public RecognitionResult PartialResult
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _final ?? Result(_finished);
        }
    }

    /// <summary>The result of the whole utterance.</summary>
    /// <exception cref="InvalidOperationException"><see cref="InputFinished"/> has not been called.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public RecognitionResult FinalResult
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_finished)
            {
                throw new InvalidOperationException("FinalResult needs the whole utterance; call InputFinished() first, or read PartialResult while audio arrives.");
            }

            return _final ??= Result(true);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _model.ReturnScratch(_arena);
            _model.ReturnProjectionCache(_projections);
        }
    }

    private RecognitionResult Result(bool isFinal)
    {
        int count = _options.DecodingMethod == DecodingMethod.Greedy ? 1 : Math.Min(_options.NBestSize, _options.BeamWidth);
        return new RecognitionResult(_search.Hypotheses(count), _model.Tokens, _search.FramesSearched, _model.FrameDuration, isFinal);
    }

    private ITransducerSearch CreateSearch() => _options.DecodingMethod == DecodingMethod.Greedy
        ? new GreedySearch(_model, _options.MaxSymbolsPerFrame, _projections, _options.BlankPenalty)
        : new ModifiedBeamSearch(_model, _options.BeamWidth, Context, _projections, _options.BlankPenalty, _options.BiasMaxAcousticLoss);

    private EndpointInput EndpointState()
    {
        int frames = _search.FramesSearched;
        int last = _search.LastTokenFrame;
        int quiet = _silenceEnergy < 0 ? int.MaxValue : Math.Max(0, FramesDecoded - 1 - _lastLoudFrame);
        return new EndpointInput(frames, frames - 1 - last, quiet, last, _silenceEnergy < 0 ? 0 : _loudRun);
    }

    private void CheckEndpoints()
    {
        _newEvents.Clear();
        if (_endpoints!.Update(EndpointState(), FramesDecoded * _model.FrameDuration, Result, _newEvents))
        {
            _utteranceStartFrame += _search.FramesSearched;
            _search = CreateSearch();
            _endpoints.StartUtterance(_utteranceStartFrame * _model.FrameDuration);
        }

        _newEvents.ForEach(_events.Enqueue);
    }

    /// <summary>
    /// Mean-square energy per 40 ms frame of the model-rate signal, for the optional energy silence test: a frame is
    /// loud when it is above the absolute threshold and within <see cref="EndpointingOptions.SilenceBelowPeakDb"/> of
    /// the loudest frame of the stream so far.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TrackEnergy(ReadOnlySpan<float> samples)
    {
        foreach (float x in samples)
        {
            _energySum += x * x;
            if (++_energySamples == _energyFrameSamples)
            {
                double energy = _energySum / _energySamples;
                _peakEnergy = Math.Max(_peakEnergy, energy);
                if (energy > _silenceEnergy && energy > _peakEnergy * _belowPeak)
                {
                    _lastLoudFrame = _energyFrames;
                    _loudRun++;
                }
                else
                {
                    _loudRun = 0;
                }

                _energyFrames++;
                _energySum = 0;
                _energySamples = 0;
            }
        }
    }

    private void Feed(ReadOnlySpan<float> samples)
    {
        if (_silenceEnergy >= 0)
        {
            TrackEnergy(samples);
        }

        if (_model.InputScale != 1f)
        {
            if (_scaled.Length < samples.Length)
            {
                _scaled = new float[samples.Length];
            }

            TensorPrimitives.Multiply(samples, _model.InputScale, _scaled);
            samples = _scaled.AsSpan(0, samples.Length);
        }

        _fbank.AcceptWaveform(samples);
        DecodeReadyChunks(final: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeReadyChunks(bool final)
    {
        int mel = _model.Dimensions.NumMelBins;
        while (true)
        {
            int stored = _fbank.NumFramesReady - _fbank.FirstStoredFrame;
            if (stored == 0 || (stored < _featureChunk.Length / mel && !final))
            {
                return;
            }

            int read = _fbank.ReadFrames(_featureChunk);
            int frames = _model.EncodeChunk(_featureChunk.AsSpan(0, read * mel), _state, _encoderOut, _arena);
            int dim = _model.JoinerDim;
            _model.ProjectEncoder(_encoderOut.AsSpan(0, frames * _model.EncoderOutputDim), _encoderProjected.AsSpan(0, frames * dim));
            _search.Process(_encoderProjected.AsSpan(0, frames * dim), frames);
            if (_endpoints is not null)
            {
                CheckEndpoints();
            }
        }
    }
}
