using System.CommandLine;
using EdgeVoice.Audio;
using EdgeVoice.Features;

namespace EdgeVoice.Cli;

/// <summary>`edgevoice features`: log-mel filterbank features of one audio file as a NumPy .npy array.</summary>
public static class FeaturesCommand
{
    /// <summary>Audio is fed to the streaming extractor one second at a time so progress can be shown.</summary>
    private const int ChunkSamples = 16000;

    public static Command Create(CliConsole console)
    {
        var audio = new Argument<string>("audio")
        {
            Description = "Input audio: a WAV file, a raw s16le file with --raw, or '-' for standard input.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the features: a NumPy .npy float32 array [frames, bins].",
            Required = true,
        };
        var audioInput = new AudioInputOptions();
        var cmvn = new Option<string?>("--cmvn")
        {
            Description = "Apply global mean/variance normalisation from this stats file (docs/features.md).",
        };

        var command = new Command("features", "Compute Kaldi-compatible log-mel filterbank features (80 bins, 25 ms window, 10 ms shift).");
        command.Arguments.Add(audio);
        command.Options.Add(output);
        audioInput.AddTo(command);
        command.Options.Add(cmvn);
        command.SetAction(parsed =>
        {
            var clip = audioInput.Read(parsed, parsed.GetRequiredValue(audio), console);
            var normaliser = parsed.GetValue(cmvn) is { } cmvnPath ? GlobalCmvn.Load(cmvnPath) : null;
            var features = CliProgress.Run(console, "features", progress => Compute(clip.Samples, progress));
            normaliser?.Apply(features);
            var outputPath = parsed.GetRequiredValue(output);
            NpyFile.WriteMatrix(outputPath, features);
            console.Error.WriteLine(
                $"wrote {features.NumFrames} frames x {features.Dimension} bins ({clip.Duration.TotalSeconds:F2} s of audio) to {outputPath}");
            return 0;
        });
        return command;
    }

    private static FeatureMatrix Compute(float[] samples, IProgress<double> progress)
    {
        var fbank = new OnlineFbank(FbankOptions.Default);
        for (var start = 0; start < samples.Length; start += ChunkSamples)
        {
            var length = Math.Min(ChunkSamples, samples.Length - start);
            fbank.AcceptWaveform(samples.AsSpan(start, length));
            progress.Report((double)(start + length) / samples.Length);
        }

        fbank.InputFinished();
        var features = new FeatureMatrix(fbank.NumFramesReady, fbank.Dimension);
        var read = fbank.ReadFrames(features.Data);
        if (read != features.NumFrames)
        {
            throw new InvalidOperationException($"The feature extractor returned {read} of {features.NumFrames} frames.");
        }

        return features;
    }
}
