using Acf.Modules.Apply;
using Acf.Modules.Privsep;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acf.Modules;

public static class AcfModulesExtensions
{
    /// <summary>
    /// The module runtime over the broker (<see cref="AcfBrokerExtensions.AddAcfBroker"/>, registered here too):
    /// the runner, the worker pool, confirm-or-rollback and the custom roles. Registered with TryAdd so tests can
    /// substitute any part.
    /// </summary>
    public static IHostApplicationBuilder AddAcfModules(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // The broker child starts here, before the host is built, so that its start runs beside the app's. With
        // Acf:Web:User the app (started as root) then becomes that user, keeps its state in <Data>/web and gets its
        // workers from the broker.
        if (StartedBroker.StartIfAsked(builder) is { } started)
        {
            services.AddSingleton(started);
            services.TryAddSingleton(started.Host);
        }
        services.AddOptions<BrokerProcessOptions>().BindConfiguration(BrokerProcessOptions.Section).ValidatedBy(new ValidateBrokerProcessOptions());
        // Before AddAcfBroker's own: with Acf:Broker:Process = separate the channel is the broker process's socket,
        // and no broker (nor its recovery of the data folder) is built in this process.
        services.TryAddSingleton(ConnectToBroker);
        // An app whose broker is a service of its own (not its child) copies no demo tree: it works on no root itself.
        services.TryAddSingleton(sp => sp.GetRequiredService<SystemHostFactory>().Create(
            ownsRoot: sp.GetRequiredService<IOptions<BrokerProcessOptions>>().Value is not { Separate: true, StartChild: false }));
        services.TryAddSingleton<ISystemBroker>(sp => sp.GetRequiredService<IOptions<BrokerProcessOptions>>().Value.Separate
            ? sp.GetRequiredService<BrokerClient>()
            : sp.GetRequiredService<SystemBroker>());
        builder.AddAcfBroker();
        // The app's idle trim (its requests and circuit events touch it, Acf.Web's part): with the broker in this
        // process (in-process) it drops the parsed package indexes too, as the broker process's does.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<BrokerProcessOptions>>().Value.Separate
            ? ActivatorUtilities.CreateInstance<IdleMemoryTrim>(sp)
            : TrimDroppingIndexes(sp));
        services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrim>());
        services.AddOptions<ModulesOptions>().BindConfiguration(ModulesOptions.Section).ValidatedBy(new ValidateModulesOptions());
        services.AddOptions<ApplyOptions>().BindConfiguration(ApplyOptions.Section).ValidatedBy(new ValidateApplyOptions());
        services.TryAddSingleton<ApplyGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplyGuard>()); // rolls back a change left pending by a restart
        services.AddHostedService<RetiredSettings>(); // a key that no longer does anything is named in the log at start
        // With a broker process of its own (a root service: OpenRC's acf-broker), an app that is not root has its
        // workers started as Acf:Modules:WorkerUser by the broker. A broker the app starts as its child runs as the
        // app's user and could not either: that app keeps the error at start.
        services.TryAddSingleton(sp =>
        {
            var broker = sp.GetRequiredService<IOptions<BrokerProcessOptions>>().Value;
            var host = broker is { Separate: true, StartChild: false } ? sp.GetRequiredService<SystemHost>() : null;
            // An app that dropped to Acf:Web:User asks the broker (its root child, or the service) as well.
            var socket = sp.GetService<StartedBroker>() is { User: not null } dropped ? dropped.Socket
                : host is null ? null : broker.SocketPath(!host.IsDemo, host.DataPath);
            return new ModuleWorkerPool(sp.GetRequiredService<IOptions<ModulesOptions>>(), sp.GetRequiredService<ILogger<ModuleWorkerPool>>(), socket);
        });
        services.AddHostedService(sp => sp.GetRequiredService<ModuleWorkerPool>()); // workers start with the app
        // Where module code runs: the worker pool, the one product executor (tests may put a double in first).
        services.TryAddSingleton<IActionExecutor>(sp => sp.GetRequiredService<ModuleWorkerPool>());
        // The pages' five ways in: their constructors are internal (they take the broker or the catalog's checks).
        services.TryAddSingleton(sp => new Roles.CustomRoles(sp.GetRequiredService<ISystemBroker>())); // /etc/acf/roles
        // /etc/acf/passwd: users and their roles, beside the roles file
        services.TryAddSingleton(sp => new Roles.UserStore(sp.GetRequiredService<ISystemBroker>()));
        // who may call what: the runner's first check, the menu's and the API listing's
        services.TryAddSingleton(sp => new ModuleAccess(sp.GetRequiredService<Acf.Broker.Catalog.ModuleCatalog>(),
            sp.GetRequiredService<Acf.Broker.Catalog.ModuleConditionsCheck>(), sp.GetService<Roles.CustomRoles>()));
        services.TryAddSingleton(sp => new LbuAutoCommit(sp.GetRequiredService<ISystemBroker>(),
            sp.GetRequiredService<IOptions<LbuOptions>>(), sp.GetRequiredService<ILogger<LbuAutoCommit>>())); // Acf:Lbu:AutoCommit
        services.TryAddSingleton(sp => new ModuleRunner(sp.GetRequiredService<Acf.Broker.Catalog.ModuleCatalog>(),
            sp.GetRequiredService<ISystemBroker>(), sp.GetRequiredService<ModuleAccess>(),
            sp.GetRequiredService<ApplyGuard>(), sp.GetRequiredService<IOptions<ModulesOptions>>(),
            sp.GetRequiredService<LbuAutoCommit>(), sp.GetRequiredService<ILogger<ModuleRunner>>(),
            sp.GetRequiredService<IActionExecutor>()));
        // the pages' history, audit log and host name, beside the runner
        services.TryAddSingleton(sp => new HostActions(sp.GetRequiredService<ISystemBroker>(), sp.GetService<ApplyGuard>(),
            sp.GetService<AuditChainStatus>()));
        return builder;
    }

    /// <summary>
    /// The broker as its own process (<c>Acf.Web --acf-broker</c>): the broker with its recovery at start, then its
    /// socket (<see cref="BrokerServer"/>). No web, no runner, no workers.
    /// </summary>
    internal static IHostApplicationBuilder AddAcfBrokerProcess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrokerProcessOptions>().BindConfiguration(BrokerProcessOptions.Section).ValidatedBy(new ValidateBrokerProcessOptions());
        // Acf:Modules:WorkerUser and Workers: the user of the workers it starts for an unprivileged app, and how many.
        builder.Services.AddOptions<ModulesOptions>().BindConfiguration(ModulesOptions.Section).ValidatedBy(new ValidateModulesOptions());
        builder.AddAcfBroker();
        // Its memory after a burst comes back when it is quiet, as the app's does (a call that allocated much is activity).
        // At rest it keeps no parsed package index either: only the first package read after a quiet spell parses again.
        builder.Services.TryAddSingleton(TrimDroppingIndexes);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrim>());
        builder.Services.AddHostedService<BrokerServer>(); // after BrokerRecovery: nothing is served before the data folder is settled
        return builder;
    }

    /// <summary>The idle trim of the process the broker runs in, which lets the parsed package indexes go first.</summary>
    private static IdleMemoryTrim TrimDroppingIndexes(IServiceProvider services)
    {
        var trim = ActivatorUtilities.CreateInstance<IdleMemoryTrim>(services);
        trim.BeforeTrim(services.GetRequiredService<SystemTools>().Packages.ForgetParsed);
        return trim;
    }

    /// <summary>The client of the broker process: started here as a child (the demo host), or a service already running.</summary>
    private static BrokerClient ConnectToBroker(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BrokerProcessOptions>>().Value;
        if (services.GetService<StartedBroker>() is { } started)
            return started.Child is { } early
                ? BrokerClient.Connect(started.Socket, TimeSpan.FromSeconds(90), early.Gone, early)
                : BrokerClient.Connect(started.Socket, TimeSpan.FromSeconds(30), () => null);
        var host = services.GetRequiredService<SystemHost>();
        var socket = options.SocketPath(!host.IsDemo, host.DataPath);
        if (!options.StartChild) return BrokerClient.Connect(socket, TimeSpan.FromSeconds(30), () => null);
        var child = BrokerChild.Start(services.GetRequiredService<IConfiguration>(), host,
            services.GetRequiredService<IHostEnvironment>().ContentRootPath, socket);
        // A loaded 2-core box starts .NET slowly; a child that exited is not waited for.
        return BrokerClient.Connect(socket, TimeSpan.FromSeconds(90), child.Gone, child);
    }
}
