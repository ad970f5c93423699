using Acf.Modules.Apply;
using Acf.Modules.Catalog;
using Acf.Modules.Isolation;
using Acf.Modules.System;
using Acf.Modules.System.Apk;
using Acf.Modules.System.Lbu;
using Acf.Modules.System.OpenRc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Acf.Modules;

public static class AcfModulesExtensions
{
    /// <summary>
    /// The module runtime and the broker: options bound by name and validated on start (a misconfigured appliance
    /// fails at boot, not on the first click), the resolved host, the catalog, the runner, and the broker for the
    /// host's mode. Registered with TryAdd so tests can substitute any part.
    /// </summary>
    public static IHostApplicationBuilder AddAcfModules(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SystemOptions>().BindConfiguration(SystemOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModulesOptions>().BindConfiguration(ModulesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExecOptions>().BindConfiguration(ExecOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LbuOptions>().BindConfiguration(LbuOptions.Section).ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SystemHostFactory>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SystemHostFactory>().Create());
        services.TryAddSingleton<ModuleCatalog>();
        services.TryAddSingleton<ModuleConditionsCheck>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<CommandRunner>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SystemHost>().IsDemo
            ? new SystemTools(
                ActivatorUtilities.CreateInstance<DemoServiceManager>(sp),
                ActivatorUtilities.CreateInstance<DemoApkManager>(sp),
                ActivatorUtilities.CreateInstance<DemoLbu>(sp))
            : new SystemTools(
                ActivatorUtilities.CreateInstance<AlpineServiceManager>(sp),
                ActivatorUtilities.CreateInstance<AlpineApkManager>(sp),
                ActivatorUtilities.CreateInstance<AlpineLbu>(sp)));
        services.TryAddSingleton<ISystemBroker>(sp => sp.GetRequiredService<SystemHost>().IsDemo
            ? ActivatorUtilities.CreateInstance<DemoSystemBroker>(sp)
            : ActivatorUtilities.CreateInstance<AlpineSystemBroker>(sp));
        services.AddOptions<ApplyOptions>().BindConfiguration(ApplyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ApplyGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplyGuard>()); // rolls back a change left pending by a restart
        services.TryAddSingleton<ModuleWorkerPool>();
        services.AddHostedService(sp => sp.GetRequiredService<ModuleWorkerPool>()); // workers start with the app
        services.TryAddSingleton<Roles.CustomRoles>();
        services.TryAddSingleton<ModuleRunner>();
        return builder;
    }
}
