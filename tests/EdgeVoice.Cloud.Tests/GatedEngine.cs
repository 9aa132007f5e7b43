using EdgeVoice.Asr;

namespace EdgeVoice.Cloud.Tests;

/// <summary>
/// A test double of the rescoring engine: ranks by acoustic score (as <see cref="AcousticOnlyEngine"/>), counts its
/// calls, and can be made to wait for a gate (to hold work in flight) or to throw.
/// </summary>
internal sealed class GatedEngine : ILatticeRescoringEngine
{
    private readonly AcousticOnlyEngine _inner = new();
    private int _calls;
    private int _cancelled;

    public string Name => "gated-test";

    /// <summary>When set, each call waits until the gate is released (or its token is cancelled).</summary>
    public SemaphoreSlim? Gate { get; set; }

    /// <summary>Released once per call when the call starts.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    /// <summary>When set, each call throws this.</summary>
    public Exception? Failure { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public int Cancelled => Volatile.Read(ref _cancelled);

    public IReadOnlyList<RescoredPath> Rescore(WordLattice lattice, int nbest, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Started.Release();
        try
        {
            Gate?.Wait(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return _inner.Rescore(lattice, nbest, cancellationToken);
    }
}
