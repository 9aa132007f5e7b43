namespace EdgeVoice.Cloud.Sessions;

/// <summary>Rescoring of one utterance's lattice in a session: speculative until the final lattice claims it.</summary>
internal sealed class UtteranceWork(byte[] lattice, int nbest) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The rescoring task (set once, under the session's lock).</summary>
    public Task<RescoreOutcome>? Task { get; set; }

    /// <summary>True once the final lattice has arrived for the utterance.</summary>
    public bool IsFinal { get; private set; }

    /// <summary>Id of the finished result (0 while rescoring).</summary>
    public long ResultId { get; set; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>True when the final lattice is the speculative one, so the work already started is the answer.</summary>
    public bool Matches(byte[] finalLattice, int finalNBest) => finalNBest == nbest && lattice.AsSpan().SequenceEqual(finalLattice);

    /// <summary>Marks the work final and gives it the request deadline.</summary>
    public void MarkFinal(TimeSpan deadline)
    {
        IsFinal = true;
        _cancellation.CancelAfter(deadline);
    }

    public void Cancel() => _cancellation.Cancel();

    public void Dispose() => _cancellation.Dispose();
}
