using System.Globalization;

namespace EdgeVoice.Cloud.Sessions;

/// <summary>
/// One device's session: the work in flight per utterance and the finished results not yet acknowledged. It outlives
/// its WebSocket connection: a device that reconnects with the session id gets every result finished meanwhile.
/// Final lattices are idempotent per utterance (a device resends unanswered finals after a reconnect).
/// </summary>
internal sealed class DeviceSession
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, UtteranceWork> _utterances = [];
    private readonly SortedDictionary<long, (uint Utterance, byte[] Message)> _retained = [];
    private readonly SessionServices _services;
    private SessionConnection? _connection;
    private long _lastResultId;
    private bool _closed;

    public DeviceSession(string id, string keyName, SessionServices services)
    {
        Id = id;
        KeyName = keyName;
        _services = services;
        DetachedSince = DateTime.UtcNow;
    }

    /// <summary>The session id (also the resume token; only the same API key can resume).</summary>
    public string Id { get; }

    /// <summary>Name of the API key that opened the session.</summary>
    public string KeyName { get; }

    /// <summary>When the last connection went away (meaningless while one is attached).</summary>
    public DateTime DetachedSince { get; private set; }

    public bool IsAttached
    {
        get
        {
            lock (_gate)
            {
                return _connection is not null;
            }
        }
    }

    /// <summary>Number of results waiting for an acknowledgement.</summary>
    public int RetainedCount
    {
        get
        {
            lock (_gate)
            {
                return _retained.Count;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="connection"/> the session's connection (aborting an earlier one), forgets results up to
    /// <paramref name="lastSeen"/>, and queues the session message followed by every other kept result.
    /// </summary>
    public void Attach(SessionConnection connection, long lastSeen, bool resumed)
    {
        SessionConnection? previous;
        lock (_gate)
        {
            previous = _connection;
            _connection = connection;
            foreach (long id in _retained.Keys.Where(id => id <= lastSeen).ToArray())
            {
                Forget(id);
            }

            connection.Enqueue(ServerMessages.Session(Id, resumed, _services.Options.SessionRetention));
            foreach (var (_, (_, message)) in _retained)
            {
                connection.Enqueue(message);
            }
        }

        previous?.Abort();
    }

    public void Detach(SessionConnection connection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_connection, connection))
            {
                _connection = null;
                DetachedSince = DateTime.UtcNow;
            }
        }
    }

    /// <summary>Handles one message; refusals are <see cref="ProblemException"/>s for the caller to report.</summary>
    public void Handle(SessionMessage message)
    {
        switch (message.Type)
        {
            case SessionMessageType.Speculative:
                StartSpeculative(message);
                break;
            case SessionMessageType.Reset:
                Reset(message.Utterance);
                break;
            case SessionMessageType.Final:
                StartFinal(message);
                break;
            case SessionMessageType.Ack:
                lock (_gate)
                {
                    Forget(message.ResultId);
                }

                break;
        }
    }

    /// <summary>Cancels all work; the session is gone.</summary>
    public void Close()
    {
        SessionConnection? connection;
        lock (_gate)
        {
            _closed = true;
            foreach (UtteranceWork work in _utterances.Values)
            {
                work.Cancel();
            }

            _utterances.Clear();
            _retained.Clear();
            connection = _connection;
            _connection = null;
        }

        connection?.Abort();
    }

    private void StartSpeculative(SessionMessage message)
    {
        int nbest = NBestOf(message);
        var lattice = _services.Decoder.Decode(message.Lattice, message.BinaryLattice);
        UtteranceWork work;
        lock (_gate)
        {
            if (_utterances.TryGetValue(message.Utterance, out UtteranceWork? existing))
            {
                if (existing.IsFinal)
                {
                    return;
                }

                existing.Cancel();
                _utterances.Remove(message.Utterance);
            }

            CheckInFlight();
            work = new UtteranceWork(message.Lattice, nbest);
            _utterances[message.Utterance] = work;
            work.Task = _services.Runner.RunAsync(lattice, nbest, "session", work.Token);
        }

        _ = work.Task.ContinueWith(t =>
        {
            SessionConnection? connection;
            lock (_gate)
            {
                bool current = _utterances.TryGetValue(message.Utterance, out UtteranceWork? now) && ReferenceEquals(now, work);
                connection = current && t.IsCompletedSuccessfully ? _connection : null;
            }

            connection?.Enqueue(ServerMessages.SpeculativeResult(message.Utterance, t.Result));
            _ = t.Exception;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Reset(uint utterance)
    {
        lock (_gate)
        {
            if (_utterances.TryGetValue(utterance, out UtteranceWork? work) && !work.IsFinal)
            {
                work.Cancel();
                _utterances.Remove(utterance);
            }
        }
    }

    private void StartFinal(SessionMessage message)
    {
        int nbest = NBestOf(message);
        UtteranceWork work;
        lock (_gate)
        {
            if (_utterances.TryGetValue(message.Utterance, out UtteranceWork? existing) && existing.IsFinal)
            {
                _services.Metrics.RecordSessionMessage("duplicate_final");
                return;
            }

            if (existing is not null && existing.Matches(message.Lattice, nbest) && existing.Task is { IsCanceled: false })
            {
                _services.Metrics.RecordSessionMessage("final_reused_speculative");
                work = existing;
                work.MarkFinal(_services.Options.RequestTimeout);
            }
            else
            {
                if (existing is not null)
                {
                    existing.Cancel();
                    _utterances.Remove(message.Utterance);
                }

                CheckInFlight();
                work = new UtteranceWork(message.Lattice, nbest);
                work.MarkFinal(_services.Options.RequestTimeout);
                _utterances[message.Utterance] = work;
                try
                {
                    var lattice = _services.Decoder.Decode(message.Lattice, message.BinaryLattice);
                    work.Task = _services.Runner.RunAsync(lattice, nbest, "session", work.Token);
                }
                catch (ProblemException e)
                {
                    work.Task = Task.FromException<RescoreOutcome>(e);
                }
            }
        }

        _ = work.Task!.ContinueWith(t => Finish(message.Utterance, work, t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Finish(uint utterance, UtteranceWork work, Task<RescoreOutcome> task)
    {
        byte[] message;
        lock (_gate)
        {
            if (_closed || !_utterances.TryGetValue(utterance, out UtteranceWork? now) || !ReferenceEquals(now, work))
            {
                return;
            }

            long id = ++_lastResultId;
            work.ResultId = id;
            if (task.IsCompletedSuccessfully)
            {
                message = ServerMessages.Result(id, utterance, task.Result);
            }
            else
            {
                ProblemException problem = task.Exception?.InnerException as ProblemException ?? new ProblemException(503, "busy", "Service Unavailable",
                    string.Create(CultureInfo.InvariantCulture, $"Rescoring did not finish within {_services.Options.RequestTimeout.TotalSeconds} s; send the final lattice again later."));
                _services.Metrics.RecordError(problem.Kind);
                message = ServerMessages.Error(problem, id, utterance);
            }

            _retained[id] = (utterance, message);
            while (_retained.Count > _services.Options.MaxRetainedResultsPerSession)
            {
                _services.Metrics.RecordError("retained-result-dropped");
                Forget(_retained.Keys.First());
            }

            _connection?.Enqueue(message);
        }
    }

    /// <summary>Drops a kept result and its utterance's record (caller holds the lock).</summary>
    private void Forget(long id)
    {
        if (_retained.Remove(id, out var entry) && _utterances.TryGetValue(entry.Utterance, out UtteranceWork? work) && work.ResultId == id)
        {
            work.Dispose();
            _utterances.Remove(entry.Utterance);
        }
    }

    /// <summary>Refuses new work on a closed session or beyond the in-flight limit; drops finished speculative work first (caller holds the lock).</summary>
    private void CheckInFlight()
    {
        if (_closed)
        {
            throw new ProblemException(410, "session-closed", "Session closed", "The session has expired.");
        }

        foreach (var (utterance, stale) in _utterances.Where(kv => !kv.Value.IsFinal && kv.Value.Task is { IsCompleted: true }).ToArray())
        {
            stale.Dispose();
            _utterances.Remove(utterance);
        }

        if (_utterances.Count(kv => kv.Value.ResultId == 0) >= _services.Options.MaxUtterancesInFlightPerSession)
        {
            throw new ProblemException(429, "too-many-utterances", "Too many utterances in flight",
                $"The session already has {_services.Options.MaxUtterancesInFlightPerSession} utterances being rescored; wait for their results.");
        }
    }

    private int NBestOf(SessionMessage message)
    {
        if (message.NBest == 0)
        {
            return _services.Options.DefaultNBest;
        }

        if (message.NBest > _services.Options.MaxNBest)
        {
            throw new ProblemException(400, "bad-nbest", "Bad nbest", $"nbest must be from 1 to {_services.Options.MaxNBest} (0 for the default); got {message.NBest}.");
        }

        return message.NBest;
    }
}
