using System.Diagnostics;

namespace EdgeVoice.Nn.Tests;

/// <summary>
/// Runs the int8 exactness checks again in a child process of this test assembly started as a program
/// (<see cref="SelfCheckProgram"/>) with <c>DOTNET_EnableHWIntrinsic=0</c>: the runtime then reports no vector
/// acceleration, the kernels pick the scalar path, and the Vector128 path runs in the software fallback.
/// </summary>
public sealed class Int8HardwareOffTests
{
    [Fact]
    public void Int8_kernels_equal_the_oracle_with_hardware_intrinsics_disabled()
    {
        string assembly = typeof(Int8HardwareOffTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(SelfCheckProgram.Int8Command);
        start.Environment["DOTNET_EnableHWIntrinsic"] = "0";
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "the self-check did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Contains("accelerated=False best=Scalar", stdout);
        Assert.Contains("Scalar ok", stdout);
        Assert.Contains("Vector128 ok", stdout);
    }
}
