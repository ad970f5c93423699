using System.ComponentModel.DataAnnotations;

namespace Acf.Web.Auth;

/// <summary>Limits for <see cref="LoginThrottle"/>.</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Suggested configuration section.</summary>
    public const string SectionName = "Acf:Auth:Throttle";

    /// <summary>Failures within <see cref="Window"/> that lock a user name or a client address.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    /// <summary>How far back failures count.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a lock lasts, counted from the last failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Most user names and addresses tracked at once, so that a flood of made-up names cannot exhaust memory.
    /// </summary>
    [Range(2, 1_000_000)]
    public int MaxTrackedKeys { get; set; } = 10_000;
}

/// <summary>What a lock is on.</summary>
public enum ThrottleKind { User, Address }

/// <summary>One lock: a user name (as typed, folded to lower case) or a client address, and when it ends.</summary>
public sealed record ThrottleLock(ThrottleKind Kind, string Name, DateTimeOffset Until, bool Manual);

/// <summary>
/// Counts failed logins in memory, per user name and per client address separately, and locks either once it has
/// failed too often: the per-name count stops guessing one account from many addresses, the per-address count stops
/// one address trying many names. Thread-safe; state is lost on restart, which only shortens a lock.
/// </summary>
/// <param name="time">The clock; tests pass a fake one.</param>
/// <param name="options">The limits.</param>
public sealed class LoginThrottle(TimeProvider time, LoginThrottleOptions options)
{
    // Names longer than any valid user name are all unknown users anyway; cutting them keeps a flood of huge
    // names from holding huge keys.
    private const int MaxKeyLength = 64;

    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly LoginThrottleOptions _options = Check(options);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);

    // Least recently failed first, so that the oldest entries are found without sorting.
    private readonly LinkedList<Entry> _byAge = new();

    /// <summary>Tells whether a login attempt must be refused now.</summary>
    /// <param name="user">The user name as typed.</param>
    /// <param name="clientAddress">The client's address.</param>
    /// <param name="retryAfter">How long until the later of the two locks ends; zero when not locked.</param>
    /// <returns>True when the user name or the address is locked.</returns>
    public bool IsLocked(string user, string clientAddress, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var until = DateTimeOffset.MinValue;
            foreach (var key in Keys(user, clientAddress))
            {
                if (_entries.TryGetValue(key, out var node) && node.Value.LockedUntil > until)
                {
                    until = node.Value.LockedUntil;
                }
            }

            retryAfter = until > now ? until - now : TimeSpan.Zero;
            return until > now;
        }
    }

    /// <summary>Counts a failed login against the user name (known or not) and the address.</summary>
    /// <param name="user">The user name as typed.</param>
    /// <param name="clientAddress">The client's address.</param>
    public void RecordFailure(string user, string clientAddress)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var key in Keys(user, clientAddress))
            {
                var entry = Touch(key, now);
                if (entry.Manual) continue; // an admin's lock lasts until the admin lifts it
                if (entry.LockedUntil > now)
                {
                    // Failing while locked keeps the lock going: it lasts from the last failure.
                    entry.LockedUntil = now + _options.Lockout;
                    continue;
                }

                while (entry.Failures.Count > 0 && entry.Failures.Peek() <= now - _options.Window)
                {
                    entry.Failures.Dequeue();
                }

                entry.Failures.Enqueue(now);
                if (entry.Failures.Count >= _options.MaxFailures)
                {
                    entry.LockedUntil = now + _options.Lockout;
                    // Once the lock ends, counting starts afresh rather than one failure away from the next lock.
                    entry.Failures.Clear();
                }
            }
        }
    }

    /// <summary>Clears the user name's failures after a successful login; the address keeps its count.</summary>
    /// <param name="user">The user name as typed.</param>
    /// <param name="clientAddress">The client's address (kept for symmetry; an address is not cleared by one success).</param>
    public void RecordSuccess(string user, string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        lock (_gate)
        {
            if (_entries.Remove(UserKey(user), out var node))
            {
                _byAge.Remove(node);
            }
        }
    }

    /// <summary>The user names and addresses locked now, with when each lock ends; manual locks last until unlocked.</summary>
    public IReadOnlyList<ThrottleLock> Locks()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _entries.Values
                .Where(n => n.Value.LockedUntil > now)
                .Select(n => new ThrottleLock(n.Value.Key[0] == 'u' ? ThrottleKind.User : ThrottleKind.Address, n.Value.Key[2..],
                    n.Value.LockedUntil, n.Value.Manual))
                .OrderBy(l => l.Kind).ThenBy(l => l.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Locks a user name or an address by hand, until <see cref="Unlock"/> (or a restart: locks live in memory).</summary>
    public void Lock(ThrottleKind kind, string name)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var entry = Touch(kind == ThrottleKind.User ? UserKey(name) : AddressKey(name), now);
            entry.LockedUntil = DateTimeOffset.MaxValue;
            entry.Manual = true;
        }
    }

    /// <summary>Lifts a lock (by hand or from failures) and forgets the failures; true when there was an entry.</summary>
    public bool Unlock(ThrottleKind kind, string name)
    {
        lock (_gate)
        {
            if (!_entries.Remove(kind == ThrottleKind.User ? UserKey(name) : AddressKey(name), out var node)) return false;
            _byAge.Remove(node);
            return true;
        }
    }

    /// <summary>True when an admin locked the user name by hand: such a user also loses open sessions.</summary>
    public bool IsLockedByHand(string user)
    {
        lock (_gate) return _entries.TryGetValue(UserKey(user), out var node) && node.Value.Manual;
    }

    private static LoginThrottleOptions Check(LoginThrottleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFailures, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Window, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Lockout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTrackedKeys, 2, nameof(options));
        return options;
    }

    private static string[] Keys(string user, string clientAddress) => [UserKey(user), AddressKey(clientAddress)];

    // Trimmed and case-folded so that "Root", " root" and "ROOT " share one counter instead of each getting their
    // own allowance of guesses. The prefixes keep a user named like an address apart from that address.
    private static string UserKey(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return "u:" + Cut(user.Trim().ToLowerInvariant());
    }

    private static string AddressKey(string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        return "a:" + Cut(clientAddress.Trim().ToLowerInvariant());
    }

    private static string Cut(string value) => value.Length > MaxKeyLength ? value[..MaxKeyLength] : value;

    /// <summary>Finds or adds the entry for a key and marks it as the most recently failed.</summary>
    private Entry Touch(string key, DateTimeOffset now)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _byAge.Remove(node);
        }
        else
        {
            if (_entries.Count >= _options.MaxTrackedKeys)
            {
                Evict(now);
            }

            node = new LinkedListNode<Entry>(new Entry(key));
            _entries.Add(key, node);
        }

        node.Value.LastFailure = now;
        _byAge.AddLast(node);
        return node.Value;
    }

    /// <summary>Drops the oldest entry that no longer matters, or else the oldest entry.</summary>
    private void Evict(DateTimeOffset now)
    {
        // A flood of made-up names must not push out an admin's lock.
        var victim = _byAge.FirstOrDefault(e => !e.Manual) is { } oldest ? _byAge.Find(oldest)! : _byAge.First!;
        for (var node = _byAge.First; node is not null; node = node.Next)
        {
            if (IsExpired(node.Value, now))
            {
                victim = node;
                break;
            }
        }

        _byAge.Remove(victim);
        _entries.Remove(victim.Value.Key);
    }

    private bool IsExpired(Entry entry, DateTimeOffset now) =>
        !entry.Manual && entry.LockedUntil <= now && entry.LastFailure <= now - _options.Window;

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastFailure { get; set; }

        /// <summary>Locked by an admin: never evicted as expired, never ended by time.</summary>
        public bool Manual { get; set; }
    }
}
