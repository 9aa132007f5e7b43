using System.Buffers.Binary;
using System.Text;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Audio;

/// <summary>
/// Incremental WAV decoder: accepts the bytes of a WAV file in chunks of any size (down to one byte) and
/// appends mono samples in [-1, 1] at <see cref="TargetSampleRate"/>. The samples are identical, bit for bit,
/// to what <see cref="AudioFile.Read(Stream, string, int)"/> returns for the same bytes, however they are split.
/// </summary>
/// <remarks>
/// <para>Usage: <c>var d = new WavStreamDecoder("mic.wav"); d.Push(bytes, samples); ... d.Complete(samples);</c>
/// Because the resampler's filter looks ahead, the last few milliseconds arrive only with <see cref="Complete"/>.</para>
/// <para>Accepted input: RIFF/WAVE with PCM 8-bit unsigned, 16/24/32-bit signed, IEEE float 32/64-bit,
/// A-law or µ-law, plain or WAVE_FORMAT_EXTENSIBLE, 1..64 channels (averaged to mono), 8..48 kHz.
/// Chunks other than "fmt " and "data" (LIST, fact, cue, ...) are skipped with their odd-size pad byte;
/// anything after the data chunk is ignored. The RIFF size and the byte-rate field are not checked
/// (many writers get them wrong and neither is needed to decode).</para>
/// <para>Data size rule: a data chunk size of 0xFFFFFFFF means "unknown length" (what streaming writers
/// put in a header they cannot seek back to); the data then runs to the end of the input and may end only
/// on a frame boundary. Any other size is trusted: if the input ends before that many bytes,
/// <see cref="Complete"/> throws <see cref="TruncatedAudioException"/>.</para>
/// <para>Errors are <see cref="AudioException"/> subclasses, thrown from <see cref="Push"/> as soon as the
/// problem is visible or from <see cref="Complete"/>. After an error the decoder cannot be used again.</para>
/// </remarks>
public sealed class WavStreamDecoder
{
    /// <summary>Data chunk size that marks a header written before the length was known.</summary>
    public const uint UnknownDataSize = 0xFFFFFFFF;

    private const int RiffHeaderSize = 12;
    private const int ChunkHeaderSize = 8;
    private const int MonoBufferFrames = 1024;

    private readonly byte[] _header = new byte[WavFormat.MaxChunkSize];
    private readonly float[] _mono = new float[MonoBufferFrames];
    private Stage _stage = Stage.RiffHeader;
    private int _headerNeeded = RiffHeaderSize;
    private int _headerFilled;
    private string _chunkId = "";
    private long _skipRemaining;
    private long _chunkSize;
    private long _dataRemaining;
    private bool _dataSizeUnknown;
    private long _totalBytes;
    private long _framesDecoded;
    private WavFormat? _format;
    private ResamplingSink? _sink;
    private byte[] _partialFrame = [];
    private int _partialFilled;

    /// <summary>Creates a decoder for one WAV stream.</summary>
    /// <param name="sourceName">File path or stream name used in error messages.</param>
    /// <param name="targetSampleRate">Rate of the emitted samples, in Hz (default 16000).</param>
    public WavStreamDecoder(string sourceName, int targetSampleRate = AudioLimits.DefaultSampleRate)
    {
        Guard.SourceName(sourceName, nameof(sourceName));
        Guard.SampleRate(targetSampleRate, nameof(targetSampleRate));
        SourceName = sourceName;
        TargetSampleRate = targetSampleRate;
    }

    private enum Stage
    {
        RiffHeader,
        ChunkHeader,
        FormatChunk,
        SkipChunk,
        Data,
        AfterData,
        Completed,
        Faulted,
    }

    /// <summary>File path or stream name used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>Rate of the emitted samples, in Hz.</summary>
    public int TargetSampleRate { get; }

    /// <summary>Sample rate declared by the fmt chunk, or null until it has been read.</summary>
    public int? SourceSampleRate => _format?.SampleRate;

    /// <summary>Channel count declared by the fmt chunk, or null until it has been read.</summary>
    public int? SourceChannels => _format?.Channels;

    /// <summary>Decodes <paramref name="bytes"/> and appends the samples that are ready to <paramref name="output"/>.</summary>
    /// <returns>The number of samples appended.</returns>
    /// <exception cref="AudioException">The input is not a readable WAV stream.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was called or an earlier call failed.</exception>
    public int Push(ReadOnlySpan<byte> bytes, List<float> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureUsable();
        int before = output.Count;
        try
        {
            _totalBytes += bytes.Length;
            Consume(bytes, output);
        }
        catch (AudioException)
        {
            _stage = Stage.Faulted;
            throw;
        }

        return output.Count - before;
    }

    /// <summary>
    /// Ends the stream: checks that it is complete and appends the remaining (filter tail) samples.
    /// </summary>
    /// <returns>The number of samples appended.</returns>
    /// <exception cref="AudioException">The input ended early, had no data chunk, or held no samples.</exception>
    public int Complete(List<float> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureUsable();
        int before = output.Count;
        try
        {
            CheckEnd();
            _sink!.Flush(output);
            if (_sink.InputSamples == 0)
            {
                throw new EmptyAudioException(SourceName, "the data chunk holds no samples");
            }
        }
        catch (AudioException)
        {
            _stage = Stage.Faulted;
            throw;
        }

        _stage = Stage.Completed;
        return output.Count - before;
    }

    private void EnsureUsable()
    {
        if (_stage == Stage.Completed)
        {
            throw new InvalidOperationException($"The decoder for {SourceName} is complete; create a new one for another stream.");
        }

        if (_stage == Stage.Faulted)
        {
            throw new InvalidOperationException($"The decoder for {SourceName} failed earlier; create a new one.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Consume(ReadOnlySpan<byte> bytes, List<float> output)
    {
        while (!bytes.IsEmpty)
        {
            switch (_stage)
            {
                case Stage.RiffHeader:
                    if (FillHeader(ref bytes))
                    {
                        ReadRiffHeader();
                        ExpectChunkHeader();
                    }

                    break;
                case Stage.ChunkHeader:
                    if (FillHeader(ref bytes))
                    {
                        ReadChunkHeader();
                    }

                    break;
                case Stage.FormatChunk:
                    if (FillHeader(ref bytes))
                    {
                        ReadFormatChunk();
                    }

                    break;
                case Stage.SkipChunk:
                    int skipped = (int)Math.Min(_skipRemaining, bytes.Length);
                    bytes = bytes[skipped..];
                    _skipRemaining -= skipped;
                    if (_skipRemaining == 0)
                    {
                        ExpectChunkHeader();
                    }

                    break;
                case Stage.Data:
                    int taken = _dataSizeUnknown ? bytes.Length : (int)Math.Min(_dataRemaining, bytes.Length);
                    DecodeData(bytes[..taken], output);
                    bytes = bytes[taken..];
                    if (!_dataSizeUnknown)
                    {
                        _dataRemaining -= taken;
                        if (_dataRemaining == 0)
                        {
                            _stage = Stage.AfterData;
                        }
                    }

                    break;
                default:
                    // After the data chunk: trailing chunks (LIST, id3, ...) carry nothing to decode.
                    return;
            }
        }
    }

    /// <summary>Copies bytes into the header buffer; true once <see cref="_headerNeeded"/> bytes are there.</summary>
    private bool FillHeader(ref ReadOnlySpan<byte> bytes)
    {
        int count = Math.Min(_headerNeeded - _headerFilled, bytes.Length);
        bytes[..count].CopyTo(_header.AsSpan(_headerFilled));
        bytes = bytes[count..];
        _headerFilled += count;
        return _headerFilled == _headerNeeded;
    }

    private void ExpectChunkHeader()
    {
        _stage = Stage.ChunkHeader;
        _headerNeeded = ChunkHeaderSize;
        _headerFilled = 0;
    }

    private void ReadRiffHeader()
    {
        var riff = _header.AsSpan(0, 4);
        var wave = _header.AsSpan(8, 4);
        if (riff.SequenceEqual("RIFF"u8) && wave.SequenceEqual("WAVE"u8))
        {
            return;
        }

        if (riff.SequenceEqual("RIFX"u8) || riff.SequenceEqual("RF64"u8))
        {
            throw new UnsupportedAudioEncodingException(
                SourceName,
                $"{Encoding.ASCII.GetString(riff)} files ({(riff[2] == (byte)'F' ? "big-endian WAV" : "64-bit WAV")}) are not supported",
                AudioException.SoxConversion(SourceName));
        }

        throw new InvalidWavHeaderException(
            SourceName,
            $"this is not a WAV file: it starts with {Describe(riff)} ... {Describe(wave)} instead of RIFF ... WAVE",
            AudioException.SoxConversion(SourceName));
    }

    private void ReadChunkHeader()
    {
        _chunkId = Describe(_header.AsSpan(0, 4));
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4));
        _chunkSize = size;
        var id = _header.AsSpan(0, 4);
        if (id.SequenceEqual("fmt "u8))
        {
            if (_format is not null)
            {
                throw new InvalidWavHeaderException(SourceName, "the file has a second fmt chunk", "the header is corrupt; re-export the file");
            }

            if (size is < WavFormat.MinChunkSize or > WavFormat.MaxChunkSize)
            {
                throw new InvalidWavHeaderException(
                    SourceName,
                    $"the fmt chunk is {size} bytes; a valid one has {WavFormat.MinChunkSize} to {WavFormat.MaxChunkSize}",
                    "the header is corrupt; re-export the file");
            }

            _stage = Stage.FormatChunk;
            _headerNeeded = (int)size;
            _headerFilled = 0;
        }
        else if (id.SequenceEqual("data"u8))
        {
            StartData(size);
        }
        else
        {
            StartSkip(size + (size & 1));
        }
    }

    private void ReadFormatChunk()
    {
        _format = WavFormat.Parse(_header.AsSpan(0, _headerNeeded), SourceName);
        _sink = new ResamplingSink(_format.SampleRate, TargetSampleRate);
        _partialFrame = new byte[_format.BlockAlign];
        StartSkip(_chunkSize & 1);
    }

    private void StartSkip(long count)
    {
        _skipRemaining = count;
        if (count == 0)
        {
            ExpectChunkHeader();
        }
        else
        {
            _stage = Stage.SkipChunk;
        }
    }

    private void StartData(uint size)
    {
        if (_format is null)
        {
            throw new InvalidWavHeaderException(
                SourceName,
                "the data chunk comes before the fmt chunk, so its encoding is unknown",
                AudioException.SoxConversion(SourceName));
        }

        _dataSizeUnknown = size == UnknownDataSize;
        _dataRemaining = size;
        if (!_dataSizeUnknown && size % _format.BlockAlign != 0)
        {
            throw new InvalidWavHeaderException(
                SourceName,
                $"the data chunk size {size} is not a whole number of {_format.BlockAlign}-byte frames",
                "the header is corrupt; re-export the file or " + AudioException.SoxConversion(SourceName));
        }

        _stage = size == 0 ? Stage.AfterData : Stage.Data;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeData(ReadOnlySpan<byte> bytes, List<float> output)
    {
        var format = _format!;
        int blockAlign = format.BlockAlign;
        if (_partialFilled > 0)
        {
            int count = Math.Min(blockAlign - _partialFilled, bytes.Length);
            bytes[..count].CopyTo(_partialFrame.AsSpan(_partialFilled));
            bytes = bytes[count..];
            _partialFilled += count;
            if (_partialFilled < blockAlign)
            {
                return;
            }

            DecodeFrames(_partialFrame, 1, output);
            _partialFilled = 0;
        }

        int frames = bytes.Length / blockAlign;
        while (frames > 0)
        {
            int batch = Math.Min(frames, MonoBufferFrames);
            DecodeFrames(bytes[..(batch * blockAlign)], batch, output);
            bytes = bytes[(batch * blockAlign)..];
            frames -= batch;
        }

        bytes.CopyTo(_partialFrame);
        _partialFilled = bytes.Length;
    }

    private void DecodeFrames(ReadOnlySpan<byte> bytes, int frames, List<float> output)
    {
        var mono = _mono.AsSpan(0, frames);
        MonoFrameDecoder.Decode(bytes, _format!, mono, _framesDecoded, SourceName);
        _framesDecoded += frames;
        _sink!.Write(mono, output);
    }

    private void CheckEnd()
    {
        switch (_stage)
        {
            case Stage.RiffHeader when _totalBytes == 0:
                throw new EmptyAudioException(SourceName, "the file is empty (0 bytes)");
            case Stage.RiffHeader:
                throw new TruncatedAudioException(
                    SourceName,
                    $"the file is only {_totalBytes} bytes, too short for a WAV header",
                    "the file was cut off; re-export or re-download it");
            case Stage.ChunkHeader when _headerFilled == 0 && _format is null:
                throw new InvalidWavHeaderException(SourceName, "the file has no fmt chunk", "re-export the file");
            case Stage.ChunkHeader when _headerFilled == 0:
                throw new InvalidWavHeaderException(SourceName, "the file has no data chunk", "re-export the file");
            case Stage.ChunkHeader or Stage.FormatChunk or Stage.SkipChunk:
                throw new TruncatedAudioException(
                    SourceName,
                    $"the file ends after {_totalBytes} bytes, inside {(_stage == Stage.ChunkHeader ? "a chunk header" : $"the {_chunkId} chunk")}, before any audio data",
                    "the file was cut off; re-export or re-download it");
            case Stage.Data when !_dataSizeUnknown:
                throw new TruncatedAudioException(
                    SourceName,
                    $"the data chunk declares {_chunkSize} bytes but the file ends {_dataRemaining} bytes short",
                    "the file was cut off or its header is wrong; re-export it or " + AudioException.SoxConversion(SourceName));
            case Stage.Data when _partialFilled > 0:
                throw new TruncatedAudioException(
                    SourceName,
                    $"the data ends in the middle of a sample frame ({_partialFilled} of {_format!.BlockAlign} bytes)",
                    "the file was cut off; re-export or re-download it");
        }
    }

    /// <summary>A four-byte chunk id for messages: printable ASCII as text, anything else as hex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Describe(ReadOnlySpan<byte> id)
    {
        foreach (byte b in id)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(id);
            }
        }

        return $"\"{Encoding.ASCII.GetString(id)}\"";
    }
}
