using System.Buffers.Binary;
using System.CommandLine;
using EdgeVoice.Asr;
using EdgeVoice.Audio;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice stream`: live recognition. Reads raw signed 16-bit little-endian mono PCM from standard input
/// (16 kHz unless --sample-rate says otherwise), or plays --file in 100 ms chunks (in real time with
/// --realtime); prints "partial: text" whenever the partial result changes and "final: text" at the end.
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
        var recognizerOptions = new RecognizerCliOptions();

        var command = new Command("stream", "Recognise live audio: raw s16le PCM on standard input (or --file), printing partial results as they change.");
        command.Options.Add(file);
        command.Options.Add(realtime);
        command.Options.Add(sampleRate);
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
            using RecognitionStream stream = recognizer.CreateStream(recognizerOptions.CreateContext(parsed, recognizer));
            string last = "";
            void Report()
            {
                string text = stream.PartialResult.Text;
                if (text != last)
                {
                    console.Output.WriteLine($"partial: {text}");
                    console.Output.Flush();
                    last = text;
                }
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
            console.Output.WriteLine($"final: {stream.FinalResult.Text}");
            return 0;
        });
        return command;
    }
}
