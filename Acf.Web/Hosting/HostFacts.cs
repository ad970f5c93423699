using System.Text;
using Acf.Broker;
using Acf.Broker.Catalog;

namespace Acf.Web.Hosting;

/// <summary>
/// What every page's app bar shows about the box, read once and shared by all circuits instead of once per page: the
/// host name and lbu's count of uncommitted files (a whole Lua action that walks /etc). A value is read again when
/// the audit log has had an entry since it was read (every change Acf makes through the broker is audited after it is
/// made), when a page asks for a fresh one after its own save, or after <see cref="MaxAge"/> for changes made beside
/// Acf (a shell, a cron job).
/// </summary>
public sealed class HostFacts(ISystemBroker broker, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private static readonly BrokerCaller HostCaller = new("acf", ModuleCatalog.Host.Prefix);

    private Fact<string>? _hostName;
    private Fact<int?>? _lbuCount;

    /// <summary>A value with the audit count and time at which its read began.</summary>
    private sealed record Fact<T>(T Value, long Appends, DateTimeOffset Read);

    public string HostName(bool fresh = false)
    {
        if (Current(_hostName, fresh) is { } known) return known.Value;
        var (appends, now) = (audit.Appends, time.GetUtcNow()); // before the read, so a write during it makes it stale
        var read = broker.Send(HostCaller, new ReadFileRequest("/etc/hostname"));
        var name = read.Ok ? Encoding.UTF8.GetString(read.Value!.Bytes).Trim() : "(no host name)";
        _hostName = new Fact<string>(name, appends, now);
        return name;
    }

    /// <summary>lbu's uncommitted count: <paramref name="read"/> runs only when the kept count is not current.</summary>
    public async Task<int?> LbuCountAsync(Func<Task<int?>> read, bool fresh = false)
    {
        if (Current(_lbuCount, fresh) is { } known) return known.Value;
        var (appends, now) = (audit.Appends, time.GetUtcNow());
        var count = await read();
        _lbuCount = new Fact<int?>(count, appends, now);
        return count;
    }

    private Fact<T>? Current<T>(Fact<T>? fact, bool fresh) =>
        fact is not null && !fresh && fact.Appends == audit.Appends && time.GetUtcNow() - fact.Read < MaxAge ? fact : null;
}
