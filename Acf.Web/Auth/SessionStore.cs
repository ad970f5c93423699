using System.Security.Claims;
using System.Text.Json;

namespace Acf.Web.Auth;

/// <summary>One signed-in session as the server keeps it: the id's hash (the id itself lives only in the cookie).</summary>
public sealed record SessionRecord(string IdHash, string User, string Stamp, DateTimeOffset Started, DateTimeOffset LastSeen);

/// <summary>
/// The server's list of live sessions, so that a session ends when the server says so and not when its cookie
/// expires. The login cookie carries a random session id (<see cref="ClaimType"/>); it is honoured only while
/// (1) its record is here, (2) the user still exists, (3) the user's security stamp is the one the session started
/// with, and (4) no admin has locked the user. The stamp is derived from the user's passwd line (password hash and
/// roles), so a password or role change ends every session of that user, even one made by editing the file by hand.
/// Logout removes the record: a copied cookie and every open circuit of that session stop working at once.
/// Records live in <c>sessions</c> in the data folder (mode 0600, ids only as SHA-256), so sessions survive a restart
/// as the cookie keys do; the last-seen time is written at most once a minute per session.
/// </summary>
public sealed class SessionStore
{
    public const string ClaimType = "acf:session";

    /// <summary>Sessions one user may hold at once; starting one more ends the oldest.</summary>
    public const int MaxPerUser = 16;

    private static readonly TimeSpan PersistEvery = TimeSpan.FromMinutes(1);

    private readonly UserStore _users;
    private readonly LoginThrottle _throttle;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SessionRecord> _byIdHash = new(StringComparer.Ordinal);
    private DateTimeOffset _persisted;

    public SessionStore(SystemHost host, UserStore users, LoginThrottle throttle, IOptions<AuthOptions> options, TimeProvider time)
    {
        _users = users;
        _throttle = throttle;
        _time = time;
        _idle = TimeSpan.FromMinutes(options.Value.IdleTimeoutMinutes);
        _path = Path.Combine(host.DataPath, "sessions");
        Load();
    }

    /// <summary>Starts a session for <paramref name="user"/> and returns its id, for the cookie only.</summary>
    public string Start(string user)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        var stamp = StampOf(user) ?? throw new InvalidOperationException($"No user {user} to start a session for.");
        lock (_gate)
        {
            foreach (var old in _byIdHash.Values.Where(r => r.User == user).OrderBy(r => r.LastSeen).SkipLast(MaxPerUser - 1).ToList())
                _byIdHash.Remove(old.IdHash);
            _byIdHash[HashOf(id)] = new SessionRecord(HashOf(id), user, stamp, now, now);
            Save();
        }
        return id;
    }

    /// <summary>True while the principal's session is live (see the class); a dead session's record is dropped.</summary>
    public bool IsCurrent(ClaimsPrincipal? principal) =>
        IsCurrent(principal?.FindFirstValue(ClaimType), principal?.Identity?.Name);

    public bool IsCurrent(string? id, string? user)
    {
        if (id is null || user is null) return false;
        var stamp = StampOf(user);
        var live = stamp is not null && !_throttle.IsLockedByHand(user);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var key = HashOf(id);
            if (!_byIdHash.TryGetValue(key, out var record)) return false;
            if (!live || record.User != user || record.Stamp != stamp || now - record.LastSeen > _idle)
            {
                _byIdHash.Remove(key);
                Save();
                return false;
            }
            _byIdHash[key] = record with { LastSeen = now };
            if (now - _persisted > PersistEvery) Save();
            return true;
        }
    }

    /// <summary>Ends one session (logout).</summary>
    public void End(string? id)
    {
        if (id is null) return;
        lock (_gate)
        {
            if (_byIdHash.Remove(HashOf(id))) Save();
        }
    }

    /// <summary>Ends every session of <paramref name="user"/> except <paramref name="keep"/>, which takes the user's
    /// stamp as it is now (after the user changed their own password, that tab stays signed in).</summary>
    /// <returns>How many sessions ended.</returns>
    public int EndAll(string user, string? keep = null)
    {
        var keepHash = keep is null ? null : HashOf(keep);
        var stamp = StampOf(user);
        lock (_gate)
        {
            var ended = _byIdHash.Values.Where(r => r.User == user && r.IdHash != keepHash).Select(r => r.IdHash).ToList();
            foreach (var hash in ended) _byIdHash.Remove(hash);
            if (keepHash is not null && stamp is not null && _byIdHash.TryGetValue(keepHash, out var kept) && kept.User == user)
                _byIdHash[keepHash] = kept with { Stamp = stamp };
            Save();
            return ended.Count;
        }
    }

    /// <summary>The sessions of <paramref name="user"/> the server holds now (tests and the account page).</summary>
    public int Count(string user)
    {
        lock (_gate) return _byIdHash.Values.Count(r => r.User == user);
    }

    /// <summary>The user's security stamp: changes whenever the password hash or the roles change; null when the user is gone.</summary>
    private string? StampOf(string user) => _users.Find(user) is { } found
        ? HashOf(found.PasswordHash + "\n" + string.Join(',', found.Roles.Order(StringComparer.Ordinal)))[..32]
        : null;

    private static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private void Load()
    {
        if (!File.Exists(_path)) return;
        var now = _time.GetUtcNow();
        foreach (var line in File.ReadLines(_path))
        {
            try
            {
                if (JsonSerializer.Deserialize<SessionRecord>(line) is { IdHash.Length: 64 } record && now - record.LastSeen <= _idle)
                    _byIdHash[record.IdHash] = record;
            }
            catch (JsonException)
            {
                // A damaged line loses its session: the user logs in again.
            }
        }
    }

    /// <summary>Writes the records (caller holds the lock): a new file, 0600 from the start, renamed over the old one.</summary>
    private void Save()
    {
        var now = _time.GetUtcNow();
        foreach (var stale in _byIdHash.Values.Where(r => now - r.LastSeen > _idle).Select(r => r.IdHash).ToList())
            _byIdHash.Remove(stale);
        var temp = _path + ".new";
        File.Delete(temp); // a leftover keeps its mode when opened again: start from a new file
        var text = string.Concat(_byIdHash.Values.Select(r => JsonSerializer.Serialize(r) + "\n"));
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
        _persisted = now;
    }
}
