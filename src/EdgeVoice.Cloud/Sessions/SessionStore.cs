using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace EdgeVoice.Cloud.Sessions;

/// <summary>
/// All sessions, by id. A session without a connection is kept for <see cref="RescoringServiceOptions.SessionRetention"/>
/// so its device can reconnect; a timer removes expired ones and cancels their work.
/// </summary>
internal sealed class SessionStore : IDisposable
{
    private readonly ConcurrentDictionary<string, DeviceSession> _sessions = new(StringComparer.Ordinal);
    private readonly SessionServices _services;
    private readonly Timer _sweeper;

    public SessionStore(SessionServices services)
    {
        _services = services;
        services.Metrics.RetainedSessions = () => _sessions.Count;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(services.Options.SessionRetention.Ticks / 4, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond * 10));
        _sweeper = new Timer(_ => Sweep(), null, period, period);
    }

    public int Count => _sessions.Count;

    public DeviceSession Create(string keyName)
    {
        string id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var session = new DeviceSession(id, keyName, _services);
        _sessions[id] = session;
        return session;
    }

    /// <summary>The session <paramref name="id"/> when it exists and belongs to <paramref name="keyName"/>.</summary>
    public DeviceSession? Find(string id, string keyName) =>
        _sessions.TryGetValue(id, out DeviceSession? session) && session.KeyName == keyName ? session : null;

    /// <summary>Removes sessions that have had no connection for longer than the retention time.</summary>
    public void Sweep()
    {
        DateTime cutoff = DateTime.UtcNow - _services.Options.SessionRetention;
        foreach (var (id, session) in _sessions)
        {
            if (!session.IsAttached && session.DetachedSince < cutoff && _sessions.TryRemove(id, out _))
            {
                session.Close();
            }
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (DeviceSession session in _sessions.Values)
        {
            session.Close();
        }

        _sessions.Clear();
    }
}
