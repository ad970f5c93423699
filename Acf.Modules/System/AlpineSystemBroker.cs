using Acf.Modules.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Modules.System;

/// <summary>The broker on a real Alpine box: declared commands really run.</summary>
public sealed class AlpineSystemBroker(SystemHost host, ModuleCatalog catalog, AuditLog audit, CommandRunner runner,
    IOptions<DataOptions> data, IOptions<ExecOptions> exec, TimeProvider time, ILogger<AlpineSystemBroker> logger)
    : SystemBroker(host, catalog, audit, data, time, logger)
{
    public override BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request)
    {
        if (CheckExec(caller, request) is { } refusal) return new BrokerResult<ExecResult>(null, refusal);
        var limits = exec.Value;
        var timeout = TimeSpan.FromSeconds(Math.Clamp(request.TimeoutSeconds ?? limits.DefaultTimeoutSeconds, 1, limits.MaxTimeoutSeconds));
        var result = runner.Run(request.Argv, request.Stdin, timeout, limits.OutputLimitBytes);
        Audit.Write(caller.User, caller.Module, "exec", string.Join(' ', request.Argv), detail: $"status {result.Status}");
        return BrokerResult<ExecResult>.Success(result);
    }
}

/// <summary>
/// The broker of the demo host. It never changes the machine it runs on: commands that would act on the system are
/// simulated and audited as such; only the configured read-only commands (validators, <c>df</c>) really run, with
/// absolute paths in their arguments resolved inside the demo root.
/// </summary>
public sealed class DemoSystemBroker(SystemHost host, ModuleCatalog catalog, AuditLog audit, CommandRunner runner,
    IOptions<SystemOptions> system, IOptions<DataOptions> data, IOptions<ExecOptions> exec, TimeProvider time,
    ILogger<DemoSystemBroker> logger)
    : SystemBroker(host, catalog, audit, data, time, logger)
{
    public override BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request)
    {
        if (CheckExec(caller, request) is { } refusal) return new BrokerResult<ExecResult>(null, refusal);
        var readOnly = system.Value.DemoReadOnlyCommands.Any(prefix => ModuleCapabilities.IsArgvPrefix(prefix, request.Argv));
        if (!readOnly)
        {
            Audit.Write(caller.User, caller.Module, "exec-simulated", string.Join(' ', request.Argv));
            return BrokerResult<ExecResult>.Success(new ExecResult(0, "", "", false, false, Simulated: true));
        }

        var argv = request.Argv.Select((word, i) => i > 0 && word.StartsWith('/') && RootedPath.Validate(word) is null
            ? RootedPath.Resolve(Host.Root, word).HostPath
            : word).ToList();
        var limits = exec.Value;
        var timeout = TimeSpan.FromSeconds(Math.Clamp(request.TimeoutSeconds ?? limits.DefaultTimeoutSeconds, 1, limits.MaxTimeoutSeconds));
        var result = runner.Run(argv, request.Stdin, timeout, limits.OutputLimitBytes);
        Audit.Write(caller.User, caller.Module, "exec", string.Join(' ', request.Argv), detail: $"status {result.Status}");
        return BrokerResult<ExecResult>.Success(result);
    }
}
