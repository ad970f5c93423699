using System.ComponentModel.DataAnnotations;

namespace Acf.Web.Auth;

/// <summary>Limits for <see cref="LoginThrottle"/>.</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Suggested configuration section.</summary>
    public const string SectionName = "Acf:Auth:Throttle";

    /// <summary>Failures in a row (gaps shorter than <see cref="Window"/>) before attempts must wait.</summary>
    [Range(1, 1000)]
    public int MaxFailures { get; set; } = 5;

    /// <summary>A quiet time this long after the last wait ends forgets the failures.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest wait: the back-off doubles from <see cref="FirstBackOff"/> up to this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The wait after the <see cref="MaxFailures"/>th failure; each further failure doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FirstBackOff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most made-up user names and client addresses tracked at once, so that a flood cannot exhaust memory. The users
    /// that exist and the admin's locks are kept apart and never pushed out.
    /// </summary>
    [Range(2, 1_000_000)]
    public int MaxTrackedKeys { get; set; } = 10_000;

    /// <summary>Addresses remembered per user as known good (a successful login came from there).</summary>
    [Range(1, 100)]
    public int KnownAddressesPerUser { get; set; } = 8;
}

/// <summary>What a lock is on.</summary>
public enum ThrottleKind { User, Address }

/// <summary>One lock: a user name (as typed, folded to lower case) or a client address, and when it ends.</summary>
public sealed record ThrottleLock(ThrottleKind Kind, string Name, DateTimeOffset Until, bool Manual);

/// <summary>
/// Counts failed logins in memory, per user name and per client address, and makes either wait once it has failed
/// too often: a back-off that doubles with each further failure up to <see cref="LoginThrottleOptions.Lockout"/>.
/// The per-name count stops guessing one account from many addresses, the per-address count one address trying many
/// names. A user's back-off does not apply from an address the user logged in from before (a known-good address):
/// anyone can make root wait, but not the admin at their usual place. An admin's lock by hand applies everywhere.
/// Memory is bounded without giving up what matters: the users that exist and the hand locks are kept apart, and the
/// bounded rest (made-up names, addresses) drops quiet entries first, then ones not waiting, and waiting ones last.
/// Thread-safe; state is lost on restart, which only shortens the waits (the documented recovery of last resort).
/// </summary>
public sealed class LoginThrottle(TimeProvider time, LoginThrottleOptions options)
{
    // Names longer than any valid user name are all unknown users anyway; cutting them keeps a flood of huge
    // names from holding huge keys.
    private const int MaxKeyLength = 64;

    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly LoginThrottleOptions _options = Check(options);
    private readonly Lock _gate = new();

    // Users that exist and hand locks: few, never evicted.
    private readonly Dictionary<string, Entry> _kept = new(StringComparer.Ordinal);

    // Everything else, least recently failed first, bounded by MaxTrackedKeys.
    private readonly Dictionary<string, LinkedListNode<Entry>> _pool = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _byAge = new();

    private readonly Dictionary<string, List<string>> _knownGood = new(StringComparer.Ordinal);

    /// <summary>Tells whether a login attempt must wait; an attempt refused here counts nothing and extends nothing.</summary>
    /// <param name="user">The user name as typed.</param>
    /// <param name="clientAddress">The client's address.</param>
    /// <param name="retryAfter">How long until the attempt may be made; zero when it may be made now.</param>
    /// <returns>True when the address waits, or the user name waits and the address is not known good for it.</returns>
    public bool IsLocked(string user, string clientAddress, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        var userKey = UserKey(user);
        var addressKey = AddressKey(clientAddress);
        lock (_gate)
        {
            var until = Find(addressKey)?.BlockedUntil ?? DateTimeOffset.MinValue;
            if (Find(userKey) is { } account && (account.Manual || !IsKnownGood(userKey, addressKey)) && account.BlockedUntil > until)
                until = account.BlockedUntil;
            retryAfter = until > now ? until - now : TimeSpan.Zero;
            return until > now;
        }
    }

    /// <summary>Counts a failed attempt against the user name and the address.</summary>
    /// <param name="user">The user name as typed.</param>
    /// <param name="clientAddress">The client's address.</param>
    /// <param name="userExists">True when the name is a user's: its count is kept apart and never pushed out.</param>
    public void RecordFailure(string user, string clientAddress, bool userExists)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Fail(Touch(UserKey(user), now, keep: userExists), now);
            Fail(Touch(AddressKey(clientAddress), now, keep: false), now);
        }
    }

    /// <summary>
    /// After a successful login: forgets the user name's failures and remembers the address as known good for the
    /// user. The address keeps its count (one success does not clear an address that tried many names).
    /// </summary>
    public void RecordSuccess(string user, string clientAddress)
    {
        var userKey = UserKey(user);
        var addressKey = AddressKey(clientAddress);
        lock (_gate)
        {
            if (_kept.TryGetValue(userKey, out var kept) && !kept.Manual) _kept.Remove(userKey);
            if (_pool.Remove(userKey, out var node)) _byAge.Remove(node);
            if (!_knownGood.TryGetValue(userKey, out var addresses)) _knownGood[userKey] = addresses = [];
            addresses.Remove(addressKey);
            addresses.Add(addressKey);
            if (addresses.Count > _options.KnownAddressesPerUser) addresses.RemoveAt(0);
        }
    }

    /// <summary>The user names and addresses waiting now, with when each wait ends; manual locks last until unlocked.</summary>
    public IReadOnlyList<ThrottleLock> Locks()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _kept.Values.Concat(_pool.Values.Select(n => n.Value))
                .Where(e => e.BlockedUntil > now)
                .Select(e => new ThrottleLock(e.Key[0] == 'u' ? ThrottleKind.User : ThrottleKind.Address, e.Key[2..], e.BlockedUntil, e.Manual))
                .OrderBy(l => l.Kind).ThenBy(l => l.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Locks a user name or an address by hand, until <see cref="Unlock"/> (or a restart: locks live in memory).</summary>
    public void Lock(ThrottleKind kind, string name)
    {
        var key = kind == ThrottleKind.User ? UserKey(name) : AddressKey(name);
        lock (_gate)
        {
            var entry = Touch(key, _time.GetUtcNow(), keep: true);
            entry.BlockedUntil = DateTimeOffset.MaxValue;
            entry.Manual = true;
        }
    }

    /// <summary>Lifts a lock (by hand or from failures) and forgets the failures; true when there was an entry.</summary>
    public bool Unlock(ThrottleKind kind, string name)
    {
        var key = kind == ThrottleKind.User ? UserKey(name) : AddressKey(name);
        lock (_gate)
        {
            var found = _kept.Remove(key);
            if (_pool.Remove(key, out var node))
            {
                _byAge.Remove(node);
                found = true;
            }
            return found;
        }
    }

    /// <summary>True when an admin locked the user name by hand: such a user also loses open sessions.</summary>
    public bool IsLockedByHand(string user)
    {
        lock (_gate) return Find(UserKey(user)) is { Manual: true };
    }

    private static LoginThrottleOptions Check(LoginThrottleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFailures, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Window, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Lockout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FirstBackOff, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTrackedKeys, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.KnownAddressesPerUser, 1, nameof(options));
        return options;
    }

    private void Fail(Entry entry, DateTimeOffset now)
    {
        if (entry.Manual) return; // an admin's lock lasts until the admin lifts it
        if (IsQuiet(entry, now)) entry.Failures = 0;
        entry.Failures++;
        entry.LastFailure = now;
        if (entry.Failures >= _options.MaxFailures) entry.BlockedUntil = now + BackOff(entry.Failures);
    }

    /// <summary>The wait after the <paramref name="failures"/>th failure in a row: doubling, capped at the lockout.</summary>
    private TimeSpan BackOff(int failures)
    {
        var doublings = Math.Min(failures - _options.MaxFailures, 30);
        var wait = _options.FirstBackOff.Ticks * Math.Pow(2, doublings);
        return wait >= _options.Lockout.Ticks ? _options.Lockout : TimeSpan.FromTicks((long)wait);
    }

    /// <summary>No failure for a window after the last wait ended: the count starts afresh.</summary>
    private bool IsQuiet(Entry entry, DateTimeOffset now) =>
        !entry.Manual && now - (entry.BlockedUntil > entry.LastFailure ? entry.BlockedUntil : entry.LastFailure) > _options.Window;

    private bool IsKnownGood(string userKey, string addressKey) =>
        _knownGood.TryGetValue(userKey, out var addresses) && addresses.Contains(addressKey);

    private Entry? Find(string key) =>
        _kept.TryGetValue(key, out var kept) ? kept : _pool.TryGetValue(key, out var node) ? node.Value : null;

    /// <summary>Finds or adds the entry for a key; kept entries live apart, the rest is marked most recently failed.</summary>
    private Entry Touch(string key, DateTimeOffset now, bool keep)
    {
        if (_kept.TryGetValue(key, out var kept)) return kept;
        if (_pool.Remove(key, out var node))
        {
            _byAge.Remove(node);
            if (keep)
            {
                _kept[key] = node.Value;
                return node.Value;
            }
        }
        else if (keep)
        {
            return _kept[key] = new Entry(key);
        }
        else
        {
            if (_pool.Count >= _options.MaxTrackedKeys) Evict(now);
            node = new LinkedListNode<Entry>(new Entry(key));
        }
        _pool[key] = node;
        _byAge.AddLast(node);
        return node.Value;
    }

    /// <summary>Drops a quiet entry, else the oldest that is not waiting, else (a pool full of waits) the oldest.</summary>
    private void Evict(DateTimeOffset now)
    {
        LinkedListNode<Entry>? notWaiting = null;
        var victim = _byAge.First!;
        for (var node = _byAge.First; node is not null; node = node.Next)
        {
            if (IsQuiet(node.Value, now))
            {
                notWaiting = node;
                break;
            }
            notWaiting ??= node.Value.BlockedUntil <= now ? node : null;
        }
        victim = notWaiting ?? victim;
        _byAge.Remove(victim);
        _pool.Remove(victim.Value.Key);
    }

    private static string UserKey(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Trimmed and case-folded so that "Root", " root" and "ROOT " share one counter instead of each getting their
        // own allowance of guesses. The prefixes keep a user named like an address apart from that address.
        return "u:" + Cut(user.Trim().ToLowerInvariant());
    }

    private static string AddressKey(string clientAddress)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        return "a:" + Cut(clientAddress.Trim().ToLowerInvariant());
    }

    private static string Cut(string value) => value.Length > MaxKeyLength ? value[..MaxKeyLength] : value;

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        /// <summary>Failures in a row (see <see cref="IsQuiet"/>).</summary>
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        /// <summary>Locked by an admin: never evicted, never ended by time.</summary>
        public bool Manual { get; set; }
    }
}
