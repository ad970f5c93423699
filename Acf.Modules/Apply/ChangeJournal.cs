using Acf.Broker.OpenRc;

namespace Acf.Modules.Apply;

/// <summary>A file as it was before an action changed it (<c>null</c> content: it did not exist).</summary>
public sealed record JournalFile(string Path, byte[]? Previous);

/// <summary>A service an action started, stopped, restarted or reloaded, to be done again after a rollback.</summary>
public sealed record JournalService(string Name, ServiceVerb Verb);

/// <summary>An optional awall policy an action enabled or disabled, and whether it was enabled before.</summary>
public sealed record JournalPolicy(string Name, bool WasEnabled);

/// <summary>A command to run after the files come back on rollback (e.g. <c>awall activate --force</c> for
/// <c>awall activate</c>, <c>ifup eth0</c> for <c>ifdown eth0</c>); checked against the exec capability when declared
/// and again when it runs.</summary>
public sealed record JournalCommand(IReadOnlyList<string> Argv);

/// <summary>
/// What one run of a confirm-or-rollback action changed: the previous content of every file it wrote (the first
/// time it wrote it) and the services it controlled, in order. Filled by the sandbox, used by <see cref="ApplyGuard"/>.
/// </summary>
public sealed class ChangeJournal
{
    private readonly List<JournalFile> _files = [];
    private readonly List<JournalService> _services = [];
    private readonly List<JournalPolicy> _policies = [];
    private readonly List<JournalCommand> _commands = [];

    public IReadOnlyList<JournalFile> Files => _files;

    public IReadOnlyList<JournalService> Services => _services;

    public IReadOnlyList<JournalPolicy> Policies => _policies;

    public IReadOnlyList<JournalCommand> Commands => _commands;

    public bool IsEmpty => _files.Count == 0 && _services.Count == 0 && _policies.Count == 0 && _commands.Count == 0;

    public bool Knows(string path) => _files.Any(f => f.Path == path);

    public void RecordFile(string path, byte[]? previous)
    {
        if (!Knows(path)) _files.Add(new JournalFile(path, previous));
    }

    public void RecordService(string name, ServiceVerb verb) => _services.Add(new JournalService(name, verb));

    /// <summary>The first state of a policy counts: enabling and disabling it again in one run still restores that.</summary>
    public void RecordPolicy(string name, bool wasEnabled)
    {
        if (!_policies.Any(p => p.Name == name)) _policies.Add(new JournalPolicy(name, wasEnabled));
    }

    /// <summary>A rollback command, once (a second activate in one run needs only one re-activation).</summary>
    public void RecordCommand(IReadOnlyList<string> argv)
    {
        if (!_commands.Any(c => c.Argv.SequenceEqual(argv))) _commands.Add(new JournalCommand(argv.ToList()));
    }
}
