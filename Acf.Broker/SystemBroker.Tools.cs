using Acf.Broker.Apk;
using Acf.Broker.Lbu;
using Acf.Broker.OpenRc;
using Microsoft.Extensions.Logging;

namespace Acf.Broker;

/// <summary>OpenRC, apk and lbu behind the same checks as files and commands: the caller's manifest grants each
/// service and operation, names are validated before any tool sees them, and every change is audited.</summary>
internal abstract partial class SystemBroker
{
    internal BrokerResult<IReadOnlyList<ServiceInfo>> ListServices(BrokerCaller caller) => Guarded(() => ListServicesCore(caller));
    internal BrokerResult<IReadOnlyList<string>> ListRunlevels(BrokerCaller caller) => Guarded(() => ListRunlevelsCore(caller));
    internal BrokerResult<ExecResult> ControlService(BrokerCaller caller, ServiceControlRequest request) => Guarded(() => ControlServiceCore(caller, request));
    internal BrokerResult<ExecResult> SetServiceRunlevels(BrokerCaller caller, ServiceRunlevelsRequest request) => Guarded(() => SetServiceRunlevelsCore(caller, request));
    internal BrokerResult<ApkListing> ReadPackages(BrokerCaller caller, ReadPackagesRequest request) => Guarded(() => ReadPackagesCore(caller, request));
    internal BrokerResult<ExecResult> RunApk(BrokerCaller caller, ApkRequest request, Action<string>? progress = null) => Guarded(() => RunApkCore(caller, request, progress));
    internal BrokerResult<LbuReport> ReadLbu(BrokerCaller caller, LbuReadRequest request) => Guarded(() => ReadLbuCore(caller, request));
    internal BrokerResult<ExecResult> ChangeLbu(BrokerCaller caller, LbuChangeRequest request) => Guarded(() => ChangeLbuCore(caller, request));

    /// <summary>The tools report failures of the machine as exceptions (a tool exited non-zero, an encrypted archive
    /// without its password): here they become a failed result, so a caller never sees an exception.</summary>
    private BrokerResult<T> Guarded<T>(Func<BrokerResult<T>> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            logger.LogWarning("A system tool failed: {Error}", e.Message);
            return BrokerResult<T>.Fail(BrokerErrorKind.Failed, e.Message);
        }
    }

    private BrokerResult<IReadOnlyList<ServiceInfo>> ListServicesCore(BrokerCaller caller)
    {
        var caps = Capabilities(caller);
        if (caps is null || caps.Services.Count == 0)
            return BrokerResult<IReadOnlyList<ServiceInfo>>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "services"));
        return BrokerResult<IReadOnlyList<ServiceInfo>>.Success(tools.Services.List().Where(s => caps.MayControl(s.Name)).ToList());
    }

    private BrokerResult<IReadOnlyList<string>> ListRunlevelsCore(BrokerCaller caller) =>
        Capabilities(caller) is { Services.Count: > 0 }
            ? BrokerResult<IReadOnlyList<string>>.Success(tools.Services.Runlevels())
            : BrokerResult<IReadOnlyList<string>>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "services"));

    private BrokerResult<ExecResult> ControlServiceCore(BrokerCaller caller, ServiceControlRequest request)
    {
        if (CheckService(caller, request.Name) is { } refusal) return Refuse<ExecResult>(refusal);
        var result = tools.Services.Control(request.Name, request.Verb);
        audit.Write(caller, $"service-{request.Verb.ToString().ToLowerInvariant()}", request.Name,
            result: Outcome(result), detail: Detail(result));
        return BrokerResult<ExecResult>.Success(result);
    }

    private BrokerResult<ExecResult> SetServiceRunlevelsCore(BrokerCaller caller, ServiceRunlevelsRequest request)
    {
        if (CheckService(caller, request.Name) is { } refusal) return Refuse<ExecResult>(refusal);
        var known = tools.Services.Runlevels();
        if (request.Runlevels.FirstOrDefault(level => !known.Contains(level)) is { } unknown)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, $"There is no runlevel '{unknown}'.");
        var result = tools.Services.SetRunlevels(request.Name, request.Runlevels.Distinct().ToList());
        audit.Write(caller, "service-runlevels", request.Name, result: Outcome(result),
            detail: $"{string.Join(' ', request.Runlevels)}; {Detail(result)}");
        return BrokerResult<ExecResult>.Success(result);
    }

    private BrokerResult<ApkListing> ReadPackagesCore(BrokerCaller caller, ReadPackagesRequest request)
    {
        if (Capabilities(caller)?.Apk.Contains("read") != true)
            return BrokerResult<ApkListing>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "apk", "read"));
        if (request.Query is { } query && (request.List != ApkList.Available ? "only the available list takes a query" : query.Problem()) is { } problem)
            return BrokerResult<ApkListing>.Fail(BrokerErrorKind.Invalid, "apk: " + problem);
        return BrokerResult<ApkListing>.Success(ApkListing.Of(tools.Packages.ReadState(), request.List, request.Query));
    }

    private BrokerResult<ExecResult> RunApkCore(BrokerCaller caller, ApkRequest request, Action<string>? progress = null)
    {
        var operation = request.Verb.ToString().ToLowerInvariant();
        if (Capabilities(caller)?.Apk.Contains(operation) != true)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "apk", operation));
        var needsNames = request.Verb is ApkVerb.Add or ApkVerb.Del;
        if (needsNames && request.Packages.Count == 0)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, $"apk {operation} needs at least one package name.");
        if (!needsNames && request.Packages.Count > 0)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, $"apk {operation} takes no package names.");
        if (request.Packages.Count > 200 || request.Packages.FirstOrDefault(n => !IPackageManager.IsValidName(n)) is { } bad)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, "Not a valid package name: " + Printable(request.Packages.FirstOrDefault(n => !IPackageManager.IsValidName(n)) ?? "(too many)"));
        var result = tools.Packages.Run(request.Verb, request.Packages, progress);
        audit.Write(caller, "apk-" + operation, string.Join(' ', request.Packages), argv: ["apk", operation, .. request.Packages],
            result: Outcome(result), detail: Detail(result));
        return BrokerResult<ExecResult>.Success(result);
    }

    private BrokerResult<LbuReport> ReadLbuCore(BrokerCaller caller, LbuReadRequest request)
    {
        // The package is every file lbu keeps (shadow, keys): a capability of its own, not lbu's "read".
        var operation = request.Kind == LbuReadKind.Package ? "package" : "read";
        if (Capabilities(caller)?.Lbu.Contains(operation) != true)
            return BrokerResult<LbuReport>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "lbu", operation));
        switch (request.Kind)
        {
            case LbuReadKind.Status: return BrokerResult<LbuReport>.Success(new LbuReport(Status: tools.Lbu.Status()));
            case LbuReadKind.List: return BrokerResult<LbuReport>.Success(new LbuReport(Files: tools.Lbu.List()));
            case LbuReadKind.Backups: return BrokerResult<LbuReport>.Success(new LbuReport(Backups: tools.Lbu.Backups()));
            case LbuReadKind.Config: return BrokerResult<LbuReport>.Success(new LbuReport(Config: tools.Lbu.Config()));
            case LbuReadKind.Package:
                // The whole configuration, secrets included, leaves the box: who took it is audited.
                var archive = tools.Lbu.Package();
                audit.Write(caller, "lbu-package", "", detail: $"{archive.Length} bytes");
                return BrokerResult<LbuReport>.Success(new LbuReport(Archive: archive));
        }
        // The committed copy of a file is read like the file itself: only where the manifest lets the module read it.
        if (request.Path is not { } path || RootedPath.Validate(path) is { } invalid)
            return BrokerResult<LbuReport>.Fail(BrokerErrorKind.Invalid, "Name an absolute path.");
        if (Capabilities(caller)?.MayRead(RootedPath.Normalize(path)) != true)
            return BrokerResult<LbuReport>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "read", path));
        return BrokerResult<LbuReport>.Success(new LbuReport(Committed: tools.Lbu.Committed(RootedPath.Normalize(path).TrimStart('/'))));
    }

    private BrokerResult<ExecResult> ChangeLbuCore(BrokerCaller caller, LbuChangeRequest request)
    {
        var operation = request.Kind switch
        {
            LbuChangeKind.Commit => "commit",
            LbuChangeKind.Revert => "revert",
            _ => "config",
        };
        if (Capabilities(caller)?.Lbu.Contains(operation) != true)
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Denied, NoCapability(caller, "lbu", operation));
        var argument = request.Argument ?? "";
        if (request.Kind != LbuChangeKind.Commit && (argument.Length == 0 || argument.Any(char.IsControl) || argument.Split('/').Contains("..")))
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, "Name a backup or a path without '..'.");
        if (request.Kind == LbuChangeKind.Revert && argument.Contains('/'))
            return BrokerResult<ExecResult>.Fail(BrokerErrorKind.Invalid, "Name a backup file, not a path.");
        if (request.Kind is not (LbuChangeKind.Commit or LbuChangeKind.Revert)) return ChangeLbuList(caller, request.Kind, argument);
        var result = request.Kind == LbuChangeKind.Commit
            ? tools.Lbu.Commit(string.IsNullOrEmpty(request.Argument) ? null : request.Argument, request.KeepOld)
            : tools.Lbu.Revert(argument);
        // The password of an encrypted commit never reaches the audit log.
        audit.Write(caller, "lbu-" + request.Kind.ToString().ToLowerInvariant(),
            request.Kind == LbuChangeKind.Commit ? "" : argument, result: Outcome(result), detail: Detail(result));
        return BrokerResult<ExecResult>.Success(result);
    }

    /// <summary>
    /// <c>lbu include</c>, <c>exclude</c> and a rule's removal, done by the broker itself rather than by <c>lbu</c>:
    /// the new list (<see cref="LbuListFile"/>, lbu's own rules) is written by the broker's write-ahead replace, so the
    /// list gets a history version and its audit line (<c>lbu-include</c>, ...) names the list with both hashes.
    /// </summary>
    private BrokerResult<ExecResult> ChangeLbuList(BrokerCaller caller, LbuChangeKind kind, string argument)
    {
        var action = "lbu-" + kind.ToString().ToLowerInvariant();
        var list = RootedPath.Resolve(Host.Root, LbuListFile.Path);
        var result = LbuListFile.Change(File.Exists(list.HostPath) ? File.ReadAllText(list.HostPath) : null, argument, kind, out var changed)
            with { Simulated = false };
        if (changed is null)
        {
            audit.Write(caller, action, argument, result: Outcome(result), detail: Detail(result));
            return BrokerResult<ExecResult>.Success(result);
        }
        const int ListMode = 0b110_100_100; // 0644, as lbu makes it
        Directory.CreateDirectory(Path.GetDirectoryName(list.HostPath)!);
        BrokerResult<WriteFileResult> write;
        lock (_writeGate)
            write = Replace(caller, list, new WriteFileRequest(list.Requested, global::System.Text.Encoding.UTF8.GetBytes(changed),
                Mode: File.Exists(list.HostPath) ? null : ListMode), action, detail: argument);
        return write.Ok ? BrokerResult<ExecResult>.Success(result) : BrokerResult<ExecResult>.Fail(write.Error!.Kind, write.Error.Message);
    }

    private ModuleCapabilities? Capabilities(BrokerCaller caller) => catalog.FindCaller(caller.Module)?.Capabilities;

    private BrokerError? CheckService(BrokerCaller caller, string name)
    {
        if (!IServiceManager.IsValidName(name)) return new BrokerError(BrokerErrorKind.Invalid, "Not a valid service name: " + Printable(name));
        return Capabilities(caller)?.MayControl(name) == true
            ? null
            : new BrokerError(BrokerErrorKind.Denied, NoCapability(caller, "services", name));
    }

    private static string NoCapability(BrokerCaller caller, string capability, string? what = null) =>
        $"Module '{caller.Module}' may not use {capability}{(what is null ? "" : " " + what)}: no '{capability}' capability in its manifest covers it.";

    private static AuditResult Outcome(ExecResult result) => new(result.Status, Simulated: result.Simulated);

    private static string Detail(ExecResult result) => $"status {result.Status}{(result.Simulated ? ", simulated" : "")}";

    private static string Printable(string text) => new(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
