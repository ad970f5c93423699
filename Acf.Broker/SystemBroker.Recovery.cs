using Microsoft.Extensions.Logging;

namespace Acf.Broker;

/// <summary>What recovery at start did: one line per settled intent, the stale temp files it removed, and the audit chain.</summary>
public sealed record RecoveryReport(IReadOnlyList<string> Settled, IReadOnlyList<string> TempFilesRemoved, AuditVerification Chain);

/// <summary>
/// Recovery at start: every change a crash cut short is finished (the file is the new one: its audit line is written
/// if it is missing) or undone (the file is still the old one: the temp file and the unused history copy go), and
/// audited as such; Acf's own stale temp files (<c>.NAME.acf-GUID.tmp</c>, nothing else) are removed from the folders
/// modules may write and from the data folder; the audit chain is verified.
/// </summary>
internal abstract partial class SystemBroker
{
    private static readonly BrokerCaller RecoveryCaller = new("acf (recovery)", ModuleCatalog.Host.Prefix);

    /// <summary>Runs recovery; called once at start, before any module runs (<see cref="BrokerRecovery"/>).</summary>
    public RecoveryReport Recover()
    {
        lock (_writeGate)
        {
            var settled = new List<string>();
            var (intents, unreadable) = _intents.Open();
            foreach (var intent in intents) settled.Add(Settle(intent));
            foreach (var file in unreadable)
            {
                logger.LogError("The intent record {File} cannot be read; it is set aside", file);
                File.Move(file, file + ".unreadable", overwrite: true);
            }
            var removed = RemoveStaleTemps();
            var chain = Audit.Verify();
            if (settled.Count > 0 || removed.Count > 0)
                logger.LogWarning("Recovery at start: {Settled} interrupted change(s) settled, {Temps} stale temp file(s) removed",
                    settled.Count, removed.Count);
            if (!chain.Intact) logger.LogCritical("The audit log's chain is broken: {Problem}", chain.Message);
            return new RecoveryReport(settled, removed, chain);
        }
    }

    private string Settle(ChangeIntent intent)
    {
        var hostPath = Path.Combine(host.Root, intent.Path.TrimStart('/'));
        var current = File.Exists(hostPath) && ReadCapped(hostPath) is { } bytes ? Sha256(bytes) : null;
        var caller = new BrokerCaller(intent.User, intent.Module, intent.Client, intent.Request);
        var temp = intent.Temp is null ? null : Path.Combine(Path.GetDirectoryName(hostPath)!, intent.Temp);
        if (temp is not null && DurableFile.IsAcfTemp(intent.Temp!)) DurableFile.Delete(temp);
        string outcome;
        if (current == intent.After)
        {
            // The file was replaced: the change is made, and it must be on record.
            outcome = Audit.HasIntent(intent.Id) ? "was made and audited" : "was made; its audit line is written now";
            if (!Audit.HasIntent(intent.Id))
                WriteAuditOf(caller, intent, detail: Joined(intent.Detail, "recovered at start: Acf stopped after the file was replaced"));
            TrimHistory(intent.Path);
        }
        else
        {
            // Not replaced (or changed by someone else since): nothing of this change is live; its history copy goes.
            if (intent.Version is { } version) DurableFile.Delete(Path.Combine(HistoryFolder(intent.Path), version));
            outcome = current == intent.Before
                ? "was not made (Acf stopped before the file was replaced)"
                : "was not made; the file has changed since outside Acf and is left as it is";
            Audit.Write(caller, intent.Action + "-interrupted", intent.Path,
                files: [intent.Secret ? new AuditFile(intent.Path, null, null) : new AuditFile(intent.Path, current, current)],
                result: new AuditResult(Refused: "Acf stopped before the change was made"), detail: "recovered at start: " + outcome,
                intent: intent.Id);
        }
        _intents.Clear(intent);
        logger.LogWarning("Recovery: the {Action} of {Path} by {User} {Outcome}", intent.Action, intent.Path, intent.User, outcome);
        return $"{intent.Action} {intent.Path}: {outcome}";
    }

    private static string Joined(string? first, string second) => first is null ? second : first + "; " + second;

    /// <summary>
    /// Acf's own temp files left by a crash, in the folders some module may write (and the host's) and in the data
    /// folder. Only the exact naming pattern is touched, never another program's files; links are not followed.
    /// </summary>
    private List<string> RemoveStaleTemps()
    {
        var folders = catalog.Modules.Append(ModuleCatalog.Host).SelectMany(m => m.Capabilities.Write)
            .Select(w => w.EndsWith('/') ? w : w[..(w.LastIndexOf('/') + 1)])
            .Distinct(StringComparer.Ordinal)
            .Select(f => (Path.Combine(host.Root, f.TrimStart('/')), Recurse: false))
            .Append((host.DataPath, Recurse: true));
        var removed = new List<string>();
        foreach (var (folder, recurse) in folders)
        {
            if (!Directory.Exists(folder)) continue;
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = recurse, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint,
            };
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp", options).Where(f => DurableFile.IsAcfTemp(Path.GetFileName(f))))
            {
                Quietly(() => File.Delete(file));
                removed.Add(file);
            }
        }
        if (removed.Count > 0) Audit.Write(RecoveryCaller, "remove-temp", $"{removed.Count} file(s)",
            detail: "recovered at start: stale temp files of interrupted writes removed: " + string.Join(", ", removed.Take(20).Select(Path.GetFileName)));
        return removed;
    }
}

/// <summary>Runs <see cref="SystemBroker.Recover"/> at start, before confirm-or-rollback and the modules, and keeps the
/// chain's state for the layout (<see cref="AuditChainStatus"/>).</summary>
internal sealed class BrokerRecovery(ISystemBroker broker, AuditLog audit, AuditChainStatus status) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.Last = broker switch
        {
            SystemBroker real => real.Recover().Chain,
            IRemoteBroker remote => remote.Chain, // the broker process settled and verified its own files
            _ => audit.Verify(),
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The audit chain as last verified (at start, and each time the audit page checks it): the layout warns an
/// admin when it is broken, and follows a later check at once (<see cref="Changed"/>), broken or mended.</summary>
public sealed class AuditChainStatus
{
    private AuditVerification? _last;

    /// <summary>Raised after <see cref="Last"/> changed (on the thread that checked): open layouts render again.</summary>
    public event Action? Changed;

    /// <summary>The last check's result; set only by the broker's side (its recovery at start, the process's hello),
    /// never by a page.</summary>
    public AuditVerification? Last
    {
        get => _last;
        internal set
        {
            _last = value;
            Changed?.Invoke();
        }
    }

    public bool Broken => Last is { Intact: false };
}
