using System.Diagnostics;
using EdgeVoice.Asr;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Cloud;

/// <summary>
/// Runs the engine on the thread pool under a deadline, times it for the metrics and classifies its failures:
/// an engine that rejects the lattice (<see cref="LatticeFormatException"/>, <see cref="ArgumentException"/>) gives 422;
/// a deadline that passes gives 503 (the service is too busy; the work is abandoned); anything else is a logged 500.
/// </summary>
internal sealed class RescoringRunner(ILatticeRescoringEngine engine, ServiceMetrics metrics, ILogger<RescoringRunner> logger)
{
    public string EngineName => engine.Name;

    public async Task<RescoreOutcome> RunAsync(WordLattice lattice, int nbest, string source, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<RescoredPath> paths;
        try
        {
            paths = await Task.Run(() => engine.Rescore(lattice, nbest, cancellationToken), cancellationToken).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is LatticeFormatException or ArgumentException)
        {
            throw new ProblemException(422, "unscorable-lattice", "Lattice cannot be rescored", e.Message);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Rescoring {Utterance} with {Engine} failed", RescoreOutcome.NameOf(lattice), engine.Name);
            throw new ProblemException(500, "rescoring-failed", "Rescoring failed",
                $"The language model failed on this lattice ({e.GetType().Name}); the failure is logged.");
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        metrics.RecordRescore(source, elapsed);
        return new RescoreOutcome(lattice.Utterance, engine.Name, paths, elapsed);
    }
}
