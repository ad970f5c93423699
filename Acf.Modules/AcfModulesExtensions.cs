using Acf.Broker;
using Acf.Modules.Apply;
using Acf.Modules.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

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
        builder.AddAcfBroker();
        var services = builder.Services;
        services.AddOptions<ModulesOptions>().BindConfiguration(ModulesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
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
