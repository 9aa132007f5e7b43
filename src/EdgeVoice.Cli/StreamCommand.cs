using System.Buffers.Binary;
using System.CommandLine;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Audio;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice stream`: live recognition. Reads raw signed 16-bit little-endian mono PCM from standard input
/// (16 kHz unless --sample-rate says otherwise), or plays --file in 100 ms chunks (in real time with
/// --realtime); prints "partial: text" whenever the partial result changes, the end-pointers' events
/// ("speculative:", "reset:", "endpoint:", with utterance, time and rule) and at the end "final:" with the
/// texts of all utterances (the one utterance with --no-endpoint).
/// </summary>
public static class StreamCommand
{
    /// <summary>Audio is fed in chunks of this many milliseconds.</summary>
    private const int ChunkMs = 100;

    public static Command Create(CliConsole console)
    {
        var file = new Option<string?>("--file") { Description = "Play this audio file (WAV) instead of reading raw PCM from standard input." };
        var realtime = new Option<bool>("--realtime") { Description = "With --file: feed the audio no faster than real time (100 ms chunks)." };
        var sampleRate = new Option<int>("--sample-rate")
        {
            Description = "Sample rate of the raw standard-input PCM in Hz (8000 to 48000).",
            DefaultValueFactory = _ => AudioLimits.DefaultSampleRate,
        };
        var noEndpoint = new Option<bool>("--no-endpoint") { Description = "Treat the whole input as one utterance: no end-pointing, no events." };
        var energy = new Option<double?>("--silence-energy-db")
        {
            Description = "Count a frame as silence only when it is also quieter than this level (dB full scale, e.g. -45); default: decoder blanks alone.",
        };
        var recognizerOptions = new RecognizerCliOptions();

        var command = new Command("stream", "Recognise live audio: raw s16le PCM on standard input (or --file), printing partial results as they change.");
        command.Options.Add(file);
        command.Options.Add(realtime);
        command.Options.Add(sampleRate);
        command.Options.Add(noEndpoint);
        command.Options.Add(energy);
        var belowPeak = new Option<double?>("--silence-below-peak-db")
        {
            Description = "End-pointing: a frame counts as silence only if it is also this many dB under the loudest frame so far (e.g. 30).",
        };
        command.Options.Add(belowPeak);
        var resume = new Option<int>("--speech-resume-frames")
        {
            Description = "End-pointing with an energy test: loud 40 ms frames in a row that withdraw a pending speculative end-point with a Reset (0: off).",
            DefaultValueFactory = _ => EndpointingOptions.Default.SpeechResumeFrames,
        };
        command.Options.Add(resume);
        recognizerOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string? path = parsed.GetValue(file);
            bool live = parsed.GetValue(realtime);
            if (live && path is null)
            {
                throw new CliUsageException("--realtime applies to --file only: standard input already arrives at its own pace.");
            }

            Recognizer recognizer = recognizerOptions.Create(parsed);
            EndpointingOptions? endpointing = parsed.GetValue(noEndpoint) ? null : new EndpointingOptions { SilenceEnergyDb = parsed.GetValue(energy), SilenceBelowPeakDb = parsed.GetValue(belowPeak), SpeechResumeFrames = parsed.GetValue(resume) };
            using RecognitionStream stream = recognizer.CreateStream(recognizerOptions.CreateContext(parsed, recognizer), endpointing);
            string last = "";
            var utterances = new List<string>();
            void Report()
            {
                while (stream.TryGetEndpointEvent(out EndpointEvent? e))
                {
                    string kind = e.Kind switch
                    {
                        EndpointEventKind.SpeculativeEndpoint => "speculative",
                        EndpointEventKind.Reset => "reset",
                        _ => "endpoint",
                    };
                    string rule = e.Rule == EndpointRule.None ? "" : $", {e.Rule}";
                    console.Output.WriteLine($"{kind}: {e.Result.Text}\t(utterance {e.Utterance}, {e.Time:F2} s{rule})");
                    if (e.Kind == EndpointEventKind.FinalEndpoint)
                    {
                        utterances.Add(e.Result.Text);
                        last = "";
                    }
                }

                string text = stream.PartialResult.Text;
                if (text != last && !stream.IsInputFinished && !(text.Length == 0 && endpointing is not null))
                {
                    console.Output.WriteLine($"partial: {text}");
                    last = text;
                }

                console.Output.Flush();
            }

            if (path is not null)
            {
                AudioClip clip = AudioFile.Read(path);
                int chunk = clip.SampleRate * ChunkMs / 1000;
                var started = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < clip.Samples.Length; i += chunk)
                {
                    stream.AcceptAudio(clip.Samples.AsSpan(i, Math.Min(chunk, clip.Samples.Length - i)), clip.SampleRate);
                    Report();
                    if (live)
                    {
                        int due = (int)((long)(i + chunk) * 1000 / clip.SampleRate);
                        int wait = due - (int)started.ElapsedMilliseconds;
                        if (wait > 0)
                        {
                            Thread.Sleep(wait);
                        }
                    }
                }
            }
            else
            {
                int rate = parsed.GetValue(sampleRate);
                if (!AudioLimits.IsSupportedSampleRate(rate))
                {
                    throw new UnsupportedSampleRateException("<stdin>", rate);
                }

                using Stream input = console.OpenStandardInput();
                var bytes = new byte[rate * ChunkMs / 1000 * 2];
                var samples = new float[bytes.Length / 2];
                int carry = 0;
                long total = 0;
                int read;
                while ((read = input.Read(bytes, carry, bytes.Length - carry)) > 0)
                {
                    int available = carry + read;
                    int count = available / 2;
                    for (int s = 0; s < count; s++)
                    {
                        samples[s] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * s)) / 32768f;
                    }

                    carry = available - (2 * count);
                    if (carry == 1)
                    {
                        bytes[0] = bytes[available - 1];
                    }

                    total += count;
                    stream.AcceptAudio(samples.AsSpan(0, count), rate);
                    Report();
                }

                if (total == 0)
                {
                    throw new EmptyAudioException("<stdin>", "holds no samples", "pipe raw signed 16-bit little-endian mono PCM into 'edgevoice stream', or use --file");
                }
            }

            stream.InputFinished();
            Report();
            string final = endpointing is null ? stream.FinalResult.Text : string.Join(' ', utterances.Where(u => u.Length > 0));
            console.Output.WriteLine($"final: {final}");
            return 0;
        });
        return command;
    }
}
