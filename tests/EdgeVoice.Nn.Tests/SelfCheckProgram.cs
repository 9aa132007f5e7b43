using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn.Tests;

/// <summary>
/// Entry point of the test assembly when it is run as a program (<c>dotnet EdgeVoice.Nn.Tests.dll int8-selfcheck</c>),
/// used by <see cref="Int8HardwareOffTests"/> to check the int8 kernels under other runtime switches. The test
/// host ignores it.
/// </summary>
public static class SelfCheckProgram
{
    public const string Int8Command = "int8-selfcheck";

    public static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] != Int8Command)
        {
            Console.Error.WriteLine($"usage: dotnet EdgeVoice.Nn.Tests.dll {Int8Command}");
            return 2;
        }

        Console.WriteLine($"accelerated={Vector128.IsHardwareAccelerated} best={Int8Paths.Best}");
        try
        {
            foreach (Int8Path path in new[] { Int8Paths.Best, Int8Path.Vector128 })
            {
                int cases = Int8Checks.Dots(path, 1, 80) + Int8Checks.DenseMatrices(path, 11) + Int8Checks.SparseMatrices(path, 21)
                    + Int8Checks.FrameCounts(path, 31) + Int8Checks.ExtremeSums(path);
                Console.WriteLine($"{path} ok ({cases} cases)");
            }
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }

        return 0;
    }
}
