namespace Acf.Broker;

/// <summary>
/// The broker's side of <see cref="WatchHostFilesRequest"/>: inotify (a <see cref="FileSystemWatcher"/> per folder) on
/// the host's own files, and a count of the changes seen since the first watch. A caller that names the count it knows
/// waits until the count moves (a file created, written, replaced, removed or its mode changed; or inotify's queue
/// overflowed, when anything may have changed) or the wait ran out. Watches are added, never removed: the host has
/// four files of its own, in one or two folders.
/// </summary>
internal sealed class HostFileChanges
{
    private readonly object _gate = new(); // Monitor.Wait needs an object, not a Lock
    private readonly Dictionary<string, FileSystemWatcher> _folders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private long _count;

    /// <summary>The count of changes once it differs from <paramref name="seen"/> or <paramref name="longest"/> passed.</summary>
    /// <exception cref="IOException">A folder cannot be watched (it does not exist, or inotify's limits are reached).</exception>
    public long Wait(IReadOnlyList<string> hostPaths, long seen, TimeSpan longest)
    {
        lock (_gate)
        {
            foreach (var path in hostPaths) Watch(path);
            var deadline = DateTime.UtcNow + longest;
            while (_count == seen && deadline - DateTime.UtcNow is { Ticks: > 0 } left)
                Monitor.Wait(_gate, left);
            return _count;
        }
    }

    private void Watch(string hostPath)
    {
        if (!_files.Add(hostPath)) return;
        var folder = Path.GetDirectoryName(hostPath)!;
        if (_folders.ContainsKey(folder)) return;
        FileSystemWatcher watcher;
        try
        {
            watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes
                    | NotifyFilters.CreationTime | NotifyFilters.Security,
            };
            watcher.Changed += (_, e) => Seen(e.FullPath);
            watcher.Created += (_, e) => Seen(e.FullPath);
            watcher.Deleted += (_, e) => Seen(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                Seen(e.OldFullPath);
                Seen(e.FullPath);
            };
            watcher.Error += (_, _) => Seen(null); // the queue overflowed: any file may have changed
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            _files.Remove(hostPath);
            throw new IOException($"{folder} cannot be watched: {e.Message}", e);
        }
        _folders[folder] = watcher;
    }

    private void Seen(string? hostPath)
    {
        lock (_gate)
        {
            if (hostPath is not null && !_files.Contains(hostPath)) return;
            _count++;
            Monitor.PulseAll(_gate);
        }
    }
}
