using Acf.Broker.OpenRc;

namespace Acf.Modules.Apply;

/// <summary>A file as it was before an action changed it (<c>null</c> content: it did not exist).</summary>
public sealed record JournalFile(string Path, byte[]? Previous);

/// <summary>A service an action started, stopped, restarted or reloaded, to be done again after a rollback.</summary>
public sealed record JournalService(string Name, ServiceVerb Verb);

/// <summary>A symbolic link an action made, replaced or removed, and its target before (null: there was none).</summary>
public sealed record JournalLink(string Path, string? Previous);

/// <summary>A command to run after the files come back on rollback (e.g. <c>awall activate --force</c> for
/// <c>awall activate</c>, <c>ifup eth0</c> for <c>ifdown eth0</c>); checked against the exec capability when declared
/// and again when it runs.</summary>
public sealed record JournalCommand(IReadOnlyList<string> Argv);

/// <summary>
/// What one run of a confirm-or-rollback action changed: the previous content of every file it wrote (the first
/// time it wrote it) and the services it controlled, the links it changed and the commands that undo it, in order. Filled by the sandbox, used by <see cref="ApplyGuard"/>.
/// </summary>
public sealed class ChangeJournal
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

    public void RecordFile(string path, byte[]? previous)
    {
        if (!Knows(path)) _files.Add(new JournalFile(path, previous));
    }

    public void RecordService(string name, ServiceVerb verb) => _services.Add(new JournalService(name, verb));

    /// <summary>The first state of a link counts: making and removing it again in one run still restores that.</summary>
    public void RecordLink(string path, string? previous)
    {
        if (!_links.Any(l => l.Path == path)) _links.Add(new JournalLink(path, previous));
    }

    /// <summary>A rollback command, once (a second activate in one run needs only one re-activation).</summary>
    public void RecordCommand(IReadOnlyList<string> argv)
    {
        if (!_commands.Any(c => c.Argv.SequenceEqual(argv))) _commands.Add(new JournalCommand(argv.ToList()));
    }
}
