namespace Acf.Web.Hosting;

/// <summary>
/// What the app bar shows about the box: its host name (kept by <see cref="HostFacts"/> for all circuits) and whether
/// it is the demo host. One per circuit; pages call <see cref="Refresh"/> after a save so the bar follows it.
/// </summary>
public sealed class HostSummary(HostActions host, HostFacts facts)
{
    private string? _hostName;
    private bool _refreshed;

    public event Action? Changed;

    public string HostName => _hostName ??= facts.HostName();

    public bool IsDemo => host.Info.Mode == HostMode.Demo;

    public string Root => host.Info.Root;

    /// <summary>Set by <see cref="Refresh"/> until read: the next lbu count of this circuit is read anew, not kept.</summary>
    public bool TakeRefreshed()
    {
        var refreshed = _refreshed;
        _refreshed = false;
        return refreshed;
    }

    /// <summary>Called after every successful save: the host name may have changed, and so has what lbu would commit.</summary>
    public void Refresh()
    {
        _hostName = facts.HostName(fresh: true);
        _refreshed = true;
        Changed?.Invoke();
    }
}
