using System.Diagnostics.CodeAnalysis;
using Acf.Broker.Apk;
using Acf.Broker.Lbu;
using Acf.Broker.OpenRc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acf.Broker;

public static class AcfBrokerExtensions
{
    /// <summary>
    /// The broker: options bound by name and validated on start (a misconfigured appliance fails at boot, not on the
    /// first click), the resolved host, the catalog of manifests, the audit log, and the broker for the host's mode
    /// with its tools (OpenRC, apk, lbu). Registered with TryAdd so tests can substitute any part.
    /// </summary>
    public static IHostApplicationBuilder AddAcfBroker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SystemOptions>().BindConfiguration(SystemOptions.Section).ValidatedBy(new ValidateSystemOptions());
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidatedBy(new ValidateDataOptions());
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.Section);
        services.AddOptions<ExecOptions>().BindConfiguration(ExecOptions.Section).ValidatedBy(new ValidateExecOptions());
        services.AddOptions<LbuOptions>().BindConfiguration(LbuOptions.Section).ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SystemHostFactory>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SystemHostFactory>().Create());
        services.TryAddSingleton<ModuleCatalog>();
        services.TryAddSingleton<ModuleConditionsCheck>();
        services.TryAddSingleton<AuditLog>();
        // Commands run behind Acf:Exec:Through on Alpine only: the demo host never reaches a lab node.
        services.TryAddSingleton(sp => new CommandRunner(sp.GetRequiredService<SystemHost>().IsDemo ? []
            : sp.GetRequiredService<IOptions<ExecOptions>>().Value.Through));
        services.TryAddSingleton<ValidatorSandbox>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SystemHost>().IsDemo
            ? new SystemTools(
                ActivatorUtilities.CreateInstance<DemoServiceManager>(sp),
                ActivatorUtilities.CreateInstance<DemoApkManager>(sp),
                ActivatorUtilities.CreateInstance<DemoLbu>(sp))
            : new SystemTools(
                ActivatorUtilities.CreateInstance<AlpineServiceManager>(sp),
                ActivatorUtilities.CreateInstance<AlpineApkManager>(sp),
                ActivatorUtilities.CreateInstance<AlpineLbu>(sp)));
        services.TryAddSingleton<SystemBroker>(sp => sp.GetRequiredService<SystemHost>().IsDemo
            ? ActivatorUtilities.CreateInstance<DemoSystemBroker>(sp)
            : ActivatorUtilities.CreateInstance<AlpineSystemBroker>(sp));
        // The broker in this process; AddAcfModules may register a client of a separate broker process first.
        services.TryAddSingleton<ISystemBroker>(sp => sp.GetRequiredService<SystemBroker>());
        services.TryAddSingleton<AuditChainStatus>();
        // Before confirm-or-rollback's own start (registered later, by AddAcfModules): interrupted changes settle first.
        services.AddHostedService<BrokerRecovery>();
        return builder;
    }

    /// <summary>
    /// Options checked by <paramref name="validator"/> when the host starts: the one way every part of the app
    /// registers options that can be wrong, after <c>BindConfiguration</c> with the options' own type (the binding and
    /// the validator are made when Acf is built, not by reflection: the broker is compiled ahead of time).
    /// </summary>
    public static OptionsBuilder<TOptions> ValidatedBy<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this OptionsBuilder<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        options.Services.AddSingleton(validator);
        return options.ValidateOnStart();
    }
}
