using System.Collections.Concurrent;

namespace Acf.Modules.Fairness;

/// <summary>
/// Fair shares of the workers (issue 16 item 5): one user runs at most <c>Acf:Modules:ActionsPerUser</c> actions at
/// once, and a further one is refused at once ("busy"), so one user's slow actions (a validator spinning, a slow
/// pattern) can never hold every worker while other admins wait; and one module runs at most
/// <c>Acf:Modules:ActionsPerModule</c> at once, a further one waiting for its turn, so a module whose tool hangs
/// queues its own actions and leaves the other workers to the other modules.
/// </summary>
public sealed class ActionAdmission(int perUser, int perModule)
{
    private readonly ConcurrentDictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _modules = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Admits one more action of <paramref name="user"/>, or returns null when the user already runs their share.</summary>
    public IDisposable? TryAdmitUser(string user)
    {
        lock (_gate)
        {
            var running = _users.GetValueOrDefault(user);
            if (running >= perUser) return null;
            _users[user] = running + 1;
        }
        return new Release(() =>
        {
            lock (_gate)
            {
                if (_users[user] <= 1) _users.TryRemove(user, out _);
                else _users[user]--;
            }
        });
    }

    /// <summary>Waits until <paramref name="module"/> runs fewer than its share of actions, then holds one place.</summary>
    public async Task<IDisposable> AdmitModuleAsync(string module, CancellationToken cancellationToken)
    {
        var places = _modules.GetOrAdd(module, _ => new SemaphoreSlim(perModule, perModule));
        await places.WaitAsync(cancellationToken);
        return new Release(() => places.Release());
    }

    /// <summary>Why an action of <paramref name="user"/> was not run, in the user's terms.</summary>
    public string Refusal(string user) =>
        $"Busy: {user} already runs {perUser} action{(perUser == 1 ? "" : "s")} at once; try again when one has finished.";

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) release();
        }
    }
}
