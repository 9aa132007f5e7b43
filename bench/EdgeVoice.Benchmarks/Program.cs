using EdgeVoice.Benchmarks;

// Small feature commands used by the peer-comparison scripts in bench/fbank/ run before BenchmarkSwitcher;
// anything else goes to BenchmarkDotNet (e.g. `-- --filter *Fbank*`).
if (FbankCommands.TryRun(args, out int exitCode))
{
    return exitCode;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(FbankBenchmarks).Assembly).Run(args);
return 0;
