using Acf.Broker.OpenRc;

namespace Acf.Modules.Apply;

/// <summary>A file as it was before an action changed it (<c>null</c> content: it did not exist). A file that holds
/// keys (a manifest's <c>secret</c> path) keeps its previous content in <paramref name="Stash"/> instead, a copy beside
/// it at mode 0600 (<see cref="StashOf"/>), so the rollback record on the data disk holds no key.</summary>
internal sealed record JournalFile(string Path, byte[]? Previous, string? Stash = null)
{
    /// <summary>Where a secret file's previous content waits for the rollback: its folder, a hidden name (not
    /// <c>*.conf</c>, so no page takes it for an interface).</summary>
    public static string StashOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return path[..(slash + 1)] + "." + path[(slash + 1)..] + ".acf-rollback";
    }
}

/// <summary>A service an action started, stopped, restarted or reloaded, to be done again after a rollback.</summary>
internal sealed record JournalService(string Name, ServiceVerb Verb);

/// <summary>A symbolic link an action made, replaced or removed, and its target before (null: there was none).</summary>
internal sealed record JournalLink(string Path, string? Previous);

/// <summary>A command to run after the files come back on rollback (e.g. <c>awall activate --force</c> for
/// <c>awall activate</c>, <c>ifup eth0</c> for <c>ifdown eth0</c>); checked against the exec capability when declared
/// and again when it runs.</summary>
internal sealed record JournalCommand(IReadOnlyList<string> Argv);

/// <summary>
/// What one run of a confirm-or-rollback action changed: the previous content of every file it wrote (the first
/// time it wrote it) and the services it controlled, the links it changed and the commands that undo it, in order.
/// Filled by <see cref="JournalingBroker"/> before each change is sent, used by <see cref="ApplyGuard"/>. With
/// <paramref name="persist"/> (the guard's durable record) every entry is on disk before the change it undoes: a
/// persist that throws stops that change.
/// </summary>
internal sealed class ChangeJournal(Action<ChangeJournal>? persist = null)
{
    private readonly List<JournalFile> _files = [];
    private readonly List<JournalService> _services = [];
    private readonly List<JournalLink> _links = [];
    private readonly List<JournalCommand> _commands = [];

    public IReadOnlyList<JournalFile> Files => _files;

    public IReadOnlyList<JournalService> Services => _services;

    public IReadOnlyList<JournalLink> Links => _links;

    public IReadOnlyList<JournalCommand> Commands => _commands;

    public bool IsEmpty => _files.Count == 0 && _services.Count == 0 && _links.Count == 0 && _commands.Count == 0;

    public bool Knows(string path) => _files.Any(f => f.Path == path);

    public void RecordFile(string path, byte[]? previous, string? stash = null)
    {
        if (Knows(path)) return;
        _files.Add(new JournalFile(path, previous, stash));
        persist?.Invoke(this);
    }

    public void RecordService(string name, ServiceVerb verb)
    {
        _services.Add(new JournalService(name, verb));
        persist?.Invoke(this);
    }

    /// <summary>The first state of a link counts: making and removing it again in one run still restores that.</summary>
    public void RecordLink(string path, string? previous)
    {
        if (_links.Any(l => l.Path == path)) return;
        _links.Add(new JournalLink(path, previous));
        persist?.Invoke(this);
    }

    /// <summary>A rollback command, once (a second activate in one run needs only one re-activation).</summary>
    public void RecordCommand(IReadOnlyList<string> argv)
    {
        if (_commands.Any(c => c.Argv.SequenceEqual(argv))) return;
        _commands.Add(new JournalCommand(argv.ToList()));
        persist?.Invoke(this);
    }

    /// <summary>How full the journal is now: <see cref="Revert"/> drops what was recorded after.</summary>
    public (int Files, int Services, int Links, int Commands) Checkpoint() => (_files.Count, _services.Count, _links.Count, _commands.Count);

    /// <summary>The stashes recorded after <paramref name="checkpoint"/> (to remove when that change did not happen).</summary>
    public IReadOnlyList<string> StashesSince((int Files, int Services, int Links, int Commands) checkpoint) =>
        _files.Skip(checkpoint.Files).Where(f => f.Stash is not null).Select(f => f.Stash!).ToList();

    /// <summary>Forgets what was recorded for a change that did not happen (refused, or the same bytes).</summary>
    public void Revert((int Files, int Services, int Links, int Commands) checkpoint)
    {
        if (Checkpoint() == checkpoint) return;
        _files.RemoveRange(checkpoint.Files, _files.Count - checkpoint.Files);
        _services.RemoveRange(checkpoint.Services, _services.Count - checkpoint.Services);
        _links.RemoveRange(checkpoint.Links, _links.Count - checkpoint.Links);
        _commands.RemoveRange(checkpoint.Commands, _commands.Count - checkpoint.Commands);
        persist?.Invoke(this);
    }
}
