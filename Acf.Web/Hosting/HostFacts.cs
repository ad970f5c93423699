namespace Acf.Web.Hosting;

/// <summary>
/// What every page's app bar shows about the box, read once and shared by all circuits instead of once per page: the
/// host name and lbu's count of uncommitted files (a whole Lua action that walks /etc). A value is read again when
/// the broker's audit log has had an entry since it was read (every change Acf makes through the broker is audited
/// after it is made; the count is the broker's, so a broker in another process is followed too), when a page asks for
/// a fresh one after its own save, or after <see cref="MaxAge"/> for changes made beside Acf (a shell, a cron job).
/// </summary>
public sealed class HostFacts(HostActions host, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private Fact<string>? _hostName;
    private Fact<int?>? _lbuCount;

    /// <summary>A value with the audit count and time at which its read began (a null count: the broker did not say, never current).</summary>
    private sealed record Fact<T>(T Value, long? Appends, DateTimeOffset Read);

    public string HostName(bool fresh = false)
    {
        var appends = host.AuditAppends(); // before the read, so a write during it makes it stale
        if (Current(_hostName, fresh, appends) is { } known) return known.Value;
        var now = time.GetUtcNow();
        var name = host.HostName() ?? "(no host name)";
        _hostName = new Fact<string>(name, appends, now);
        return name;
    }

    /// <summary>lbu's uncommitted count: <paramref name="read"/> runs only when the kept count is not current.</summary>
    public async Task<int?> LbuCountAsync(Func<Task<int?>> read, bool fresh = false)
    {
        var appends = host.AuditAppends();
        if (Current(_lbuCount, fresh, appends) is { } known) return known.Value;
        var now = time.GetUtcNow();
        var count = await read();
        _lbuCount = new Fact<int?>(count, appends, now);
        return count;
    }

    private Fact<T>? Current<T>(Fact<T>? fact, bool fresh, long? appends) =>
        fact is not null && !fresh && appends is not null && fact.Appends == appends && time.GetUtcNow() - fact.Read < MaxAge ? fact : null;
}
