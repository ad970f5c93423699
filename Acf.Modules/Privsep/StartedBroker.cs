using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acf.Modules.Privsep;

/// <summary>
/// The broker child started while the app's host is being configured, before it is built: with
/// <c>Acf:Broker:Process=separate</c> and <c>StartChild</c> the child's own start (a second .NET process) then runs
/// beside the app's, instead of after it (the first resolution of the broker waited for a child it only then started).
/// <see cref="User"/>: the user the app dropped to (<see cref="WebUser"/>), null when it stays as started.
/// <see cref="Host"/>: the app's places (with a user, its own data folder <c>&lt;Data&gt;/web</c>); <see cref="Child"/>
/// is null when the broker is a service of its own.
/// </summary>
internal sealed record StartedBroker(string? User, SystemHost Host, string Socket, BrokerChild? Child)
{
    /// <summary>Drops to <c>Acf:Web:User</c> when set, else starts the broker child when the app is to start one, else
    /// null (the broker inside the app, or a service of its own: nothing to start).</summary>
    public static StartedBroker? StartIfAsked(IHostApplicationBuilder builder)
    {
        if (WebUser.DropIfAsked(builder) is { } dropped) return dropped;
        var broker = builder.Configuration.GetSection(BrokerProcessOptions.Section).Get<BrokerProcessOptions>() ?? new BrokerProcessOptions();
        if (!broker.Separate || !broker.StartChild) return null;
        var contentRoot = builder.Environment.ContentRootPath;
        var host = ResolveHost(builder.Configuration, contentRoot);
        var socket = broker.SocketPath(!host.IsDemo, host.DataPath);
        return new StartedBroker(null, host, socket, BrokerChild.Start(builder.Configuration, host, contentRoot, socket));
    }

    /// <summary>The places as the options name them, resolved before the host exists (the broker child logs them).</summary>
    public static SystemHost ResolveHost(IConfiguration configuration, string contentRoot) =>
        SystemHost.Resolve(configuration.GetSection(SystemOptions.Section).Get<SystemOptions>() ?? new(),
            configuration.GetSection(DataOptions.Section).Get<DataOptions>() ?? new(),
            configuration.GetSection(CatalogOptions.Section).Get<CatalogOptions>() ?? new(), contentRoot, NullLogger.Instance);
}
