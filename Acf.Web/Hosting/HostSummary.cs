using System.Text;
using Acf.Broker.Catalog;
using Acf.Broker;

namespace Acf.Web.Hosting;

/// <summary>
/// What the app bar shows about the box: its host name (read as the host through the broker) and whether it is the
/// demo host. One per circuit; pages call <see cref="Refresh"/> after a save so the bar follows it.
/// </summary>
public sealed class HostSummary(ISystemBroker broker)
{
    private static readonly BrokerCaller HostCaller = new("acf", ModuleCatalog.Host.Prefix);
    private string? _hostName;

    public event Action? Changed;

    public string HostName => _hostName ??= ReadHostName();

    public bool IsDemo => broker.Info.Mode == HostMode.Demo;

    public string Root => broker.Info.Root;

    /// <summary>Called after every successful save: the host name may have changed, and so has what lbu would commit.</summary>
    public void Refresh()
    {
        _hostName = ReadHostName();
        Changed?.Invoke();
    }

    private string ReadHostName()
    {
        var read = broker.Send(HostCaller, new ReadFileRequest("/etc/hostname"));
        return read.Ok ? Encoding.UTF8.GetString(read.Value!.Bytes).Trim() : "(no host name)";
    }
}
