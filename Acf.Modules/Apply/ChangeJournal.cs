using Acf.Modules.System.OpenRc;

namespace Acf.Modules.Apply;

/// <summary>A file as it was before an action changed it (<c>null</c> content: it did not exist).</summary>
public sealed record JournalFile(string Path, byte[]? Previous);

/// <summary>A service an action started, stopped, restarted or reloaded, to be done again after a rollback.</summary>
public sealed record JournalService(string Name, ServiceVerb Verb);

/// <summary>
/// What one run of a confirm-or-rollback action changed: the previous content of every file it wrote (the first
/// time it wrote it) and the services it controlled, in order. Filled by the sandbox, used by <see cref="ApplyGuard"/>.
/// </summary>
public sealed class ChangeJournal
{
    private readonly List<JournalFile> _files = [];
    private readonly List<JournalService> _services = [];

    public IReadOnlyList<JournalFile> Files => _files;

    public IReadOnlyList<JournalService> Services => _services;

    public bool IsEmpty => _files.Count == 0 && _services.Count == 0;

    public bool Knows(string path) => _files.Any(f => f.Path == path);

    public void RecordFile(string path, byte[]? previous)
    {
        if (!Knows(path)) _files.Add(new JournalFile(path, previous));
    }

    public void RecordService(string name, ServiceVerb verb) => _services.Add(new JournalService(name, verb));
}
