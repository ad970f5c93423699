using System.Collections.Concurrent;

namespace Acf.Modules.Fairness;

/// <summary>
/// Fair shares of the workers (issue 16 item 5): one user runs at most <c>Acf:Modules:ActionsPerUser</c> actions at
/// once, so one user's slow actions (a validator spinning, a slow pattern) can never hold every worker while other
/// admins wait; and one module runs at most <c>Acf:Modules:ActionsPerModule</c> at once, a further one waiting for its
/// turn, so a module whose tool hangs queues its own actions and leaves the other workers to the other modules.
/// A user's further actions wait in a queue of their own (first come, first run) of at most
/// <c>ActionsQueuedPerUser</c>; only past that is one refused ("busy"). Opening a page starts several actions at once
/// (the dashboard's overview, its live figures, the attention counts and the app bar's lbu count, twice with the
/// prerender), which the share alone refused: the admin saw "Busy" from opening a page.
/// </summary>
internal sealed class ActionAdmission(int perUser, int perModule, int queuedPerUser)
{
    private readonly Dictionary<string, Share> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _modules = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>One user's running actions and the ones waiting for a place, oldest first.</summary>
    private sealed class Share
    {
        public int Running;
        public readonly LinkedList<TaskCompletionSource<IDisposable>> Waiting = [];
    }

    /// <summary>
    /// Admits one more action of <paramref name="user"/>: at once while the user runs fewer than their share, else
    /// once one of theirs ends (the place passes to the oldest waiting one); null at once when the user's queue is
    /// full as well. Cancelling the token takes a waiting action out of the queue.
    /// </summary>
    public Task<IDisposable?> AdmitUserAsync(string user, CancellationToken cancellationToken)
    {
        TaskCompletionSource<IDisposable> waiting;
        LinkedListNode<TaskCompletionSource<IDisposable>> node;
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var share)) _users[user] = share = new Share();
            if (share.Running < perUser)
            {
                share.Running++;
                return Task.FromResult<IDisposable?>(Place(user));
            }
            if (share.Waiting.Count >= queuedPerUser) return Task.FromResult<IDisposable?>(null);
            waiting = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = share.Waiting.AddLast(waiting);
        }
        return WaitAsync(user, waiting, node, cancellationToken);
    }

    private async Task<IDisposable?> WaitAsync(string user, TaskCompletionSource<IDisposable> waiting,
        LinkedListNode<TaskCompletionSource<IDisposable>> node, CancellationToken cancellationToken)
    {
        await using var cancel = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Under the lock: either the place was handed over already (the action runs and releases it), or
                // the waiter leaves the queue and never gets one.
                if (!waiting.TrySetCanceled(cancellationToken)) return;
                node.List?.Remove(node);
                ForgetIfIdle(user);
            }
        });
        return await waiting.Task;
    }

    private Release Place(string user) => new(() =>
    {
        lock (_gate)
        {
            var share = _users[user];
            while (share.Waiting.First is { } next)
            {
                share.Waiting.RemoveFirst();
                // The place passes on: Running stays as it is.
                if (next.Value.TrySetResult(Place(user))) return;
            }
            share.Running--;
            ForgetIfIdle(user);
        }
    });

    private void ForgetIfIdle(string user)
    {
        if (_users.TryGetValue(user, out var share) && share.Running == 0 && share.Waiting.Count == 0) _users.Remove(user);
    }

    /// <summary>How many actions of <paramref name="user"/> wait for a place now.</summary>
    public int Waiting(string user)
    {
        lock (_gate) return _users.TryGetValue(user, out var share) ? share.Waiting.Count : 0;
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
        $"Busy: {user} already runs {perUser} action{(perUser == 1 ? "" : "s")} at once and {queuedPerUser} more wait; try again when they have finished.";

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) release();
        }
    }
}
