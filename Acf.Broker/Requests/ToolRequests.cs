using Acf.Broker.Apk;
using Acf.Broker.OpenRc;

namespace Acf.Broker;

/// <summary>A command as an argv list: no shell ever sees it.</summary>
/// <paramref name="Rollback"/>: the command that undoes this one under confirm-or-rollback (an ifup's ifdown); the broker
/// checks it against the manifest at once, and the journal keeps it when the command ran.
/// <paramref name="Live"/>: the command's output lines go to the call's output as they come (a ping on the page), and
/// the broker runs one live command per user at a time.
public sealed record ExecRequest(IReadOnlyList<string> Argv, string? Stdin = null, int? TimeoutSeconds = null,
    IReadOnlyList<string>? Rollback = null, bool Live = false) : BrokerRequest<ExecResult>
{
    internal override BrokerResult<ExecResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.Exec(caller, this, Live ? output : null);
}

public sealed record ExecResult(int Status, string Stdout, string Stderr, bool TimedOut, bool Truncated, bool Simulated);

/// <summary>The services the caller's <c>services</c> capability covers.</summary>
public sealed record ListServicesRequest : BrokerRequest<IReadOnlyList<ServiceInfo>>
{
    internal override BrokerResult<IReadOnlyList<ServiceInfo>> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ListServices(caller);
}

public sealed record ListRunlevelsRequest : BrokerRequest<IReadOnlyList<string>>
{
    internal override BrokerResult<IReadOnlyList<string>> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ListRunlevels(caller);
}

public sealed record ServiceControlRequest(string Name, ServiceVerb Verb) : BrokerRequest<ExecResult>
{
    internal override BrokerResult<ExecResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ControlService(caller, this);
}

public sealed record ServiceRunlevelsRequest(string Name, IReadOnlyList<string> Runlevels) : BrokerRequest<ExecResult>
{
    internal override BrokerResult<ExecResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.SetServiceRunlevels(caller, this);
}

/// <summary>One of apk's lists; the broker reads apk's files and sends only that list, or of the available packages
/// only the part the query asks for.</summary>
public sealed record ReadPackagesRequest(ApkList List, ApkQuery? Query = null) : BrokerRequest<ApkListing>
{
    internal override BrokerResult<ApkListing> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ReadPackages(caller, this);
}

/// <summary>apk add/del/update/upgrade; every output line goes to the call's output as it comes.</summary>
public sealed record ApkRequest(ApkVerb Verb, IReadOnlyList<string> Packages) : BrokerRequest<ExecResult>
{
    internal override BrokerResult<ExecResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.RunApk(caller, this, output);
}

public enum LbuReadKind { Status, List, Backups, Config, Committed, Package }

/// <summary>What to read of lbu; <paramref name="Path"/> names the file for <see cref="LbuReadKind.Committed"/>.
/// <see cref="LbuReadKind.Package"/>: the overlay as a commit would write it now, unencrypted (<c>lbu package</c>).</summary>
public sealed record LbuReadRequest(LbuReadKind Kind, string? Path = null) : BrokerRequest<LbuReport>
{
    internal override BrokerResult<LbuReport> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ReadLbu(caller, this);
}

/// <summary>One of lbu's answers; only the member of the requested kind is set.</summary>
public sealed record LbuReport(
    IReadOnlyList<Lbu.LbuStatusEntry>? Status = null,
    IReadOnlyList<string>? Files = null,
    IReadOnlyList<Lbu.LbuBackup>? Backups = null,
    Lbu.LbuConfig? Config = null,
    byte[]? Committed = null,
    byte[]? Archive = null);

public enum LbuChangeKind { Commit, Revert, Include, Exclude, RemoveRule }

/// <summary><paramref name="Argument"/>: the password of an encrypted commit, the backup to revert to, or the path of a rule.</summary>
/// <paramref name="KeepOld"/>: a commit first renames the archives of another host name or format to dated backups
/// (lbu refuses to commit beside them); lbu's <c>-d</c>, which deletes them, is never asked for.
public sealed record LbuChangeRequest(LbuChangeKind Kind, string? Argument = null, bool KeepOld = false) : BrokerRequest<ExecResult>
{
    internal override BrokerResult<ExecResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.ChangeLbu(caller, this);
}
