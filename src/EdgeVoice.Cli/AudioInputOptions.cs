using System.CommandLine;
using EdgeVoice.Audio;

namespace EdgeVoice.Cli;

/// <summary>
/// The options every command that reads audio shares: WAV by default, raw signed 16-bit little-endian
/// PCM with --raw and --sample-rate, and '-' for standard input.
/// </summary>
public sealed class AudioInputOptions
{
    public const string StandardInput = "-";

    private readonly Option<bool> _raw = new("--raw")
    {
        Description = "The input is headerless signed 16-bit little-endian mono PCM (give its rate with --sample-rate).",
    };

    private readonly Option<int?> _sampleRate = new("--sample-rate")
    {
        Description = "Sample rate of --raw input in Hz (8000 to 48000); it is converted to 16 kHz.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_raw);
        command.Options.Add(_sampleRate);
    }

    /// <summary>
    /// Reads the audio named on the command line as mono samples: at 16 kHz, or, with
    /// <paramref name="keepSourceRate"/>, at the rate of the file (standard input is still converted to 16 kHz),
    /// for a recognizer that resamples the way its model was trained.
    /// </summary>
    public AudioClip Read(ParseResult parsed, string path, CliConsole console, bool keepSourceRate = false)
    {
        var raw = parsed.GetValue(_raw);
        var sampleRate = parsed.GetValue(_sampleRate);
        if (raw && sampleRate is null)
        {
            throw new CliUsageException("--raw needs --sample-rate: headerless PCM does not say its rate.");
        }

        if (!raw && sampleRate is not null)
        {
            throw new CliUsageException("--sample-rate applies to --raw input only: a WAV file states its own rate.");
        }

        if (path == StandardInput)
        {
            using var stdin = console.OpenStandardInput();
            return raw
                ? AudioFile.ReadRawPcm16(stdin, sampleRate!.Value, "<stdin>")
                : AudioFile.Read(stdin, "<stdin>");
        }

        if (raw)
        {
            return AudioFile.ReadRawPcm16(path, sampleRate!.Value, targetSampleRate: keepSourceRate ? sampleRate.Value : AudioLimits.DefaultSampleRate);
        }

        return keepSourceRate ? AudioFile.ReadAtSourceRate(path) : AudioFile.Read(path);
    }
}
