using System.Diagnostics;

namespace EdgeVoice.Nn.Tests;

/// <summary>A fact that is skipped, with the reason, when /usr/bin/python3 cannot import torch.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Why the Python tests cannot run here, or null when they can.</summary>
    internal static readonly Lazy<string?> Unavailable = new(Probe);

    public PythonTorchFactAttribute()
    {
        if (Unavailable.Value is string reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is absent; install python3 and python3-torch to run the cross-language model file test.";
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{Python} cannot import torch; install python3-torch to run the cross-language model file test.";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} could not be started ({e.Message}).";
        }
    }
}
