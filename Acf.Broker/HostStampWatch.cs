namespace Acf.Broker;

/// <summary>A broker that tells when the host's files change (a broker process's client): <see cref="HostFileStamps"/>
/// keeps their stamps between requests while its watch is live.</summary>
internal interface IWatchesHostFiles
{
    HostStampWatch HostFiles { get; }
}

/// <summary>
/// The app's side of <see cref="WatchHostFilesRequest"/>, for a broker in a process of its own, where the stamps of the
/// host's files (<see cref="HostFileStamps"/>) were a round trip on every API request. A thread of its own keeps one
/// watch call waiting in the broker; each answer that moved the broker's count of changes, a failed call and a save of
/// the app's own drop the kept stamps. Stamps are kept only while the watch is live and covers every path they name,
/// and only when nothing moved while they were taken: a lock, a logout or a role change made through the app ends
/// access at once (the save drops them), one made on the box itself as soon as inotify tells the broker.
/// </summary>
internal sealed class HostStampWatch(ISystemBroker broker) : IDisposable
{
    private static readonly BrokerCaller HostCaller = new("acf", Catalog.ModuleCatalog.Host.Prefix);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private long _moves; // bumped whenever kept stamps may be stale
    private HashSet<string>? _watched; // null while the watch is not live
    private (long Moves, string[] Paths, IReadOnlyList<FileStatus> Stamps)? _kept;
    private int _started;
    private volatile bool _disposed;

    /// <summary>Where the count of moves stands: read before taking stamps, handed to <see cref="Keep"/> after.</summary>
    public long Moves
    {
        get
        {
            Start();
            lock (_gate) return _moves;
        }
    }

    /// <summary>The stamps of <paramref name="paths"/> kept from an earlier request, when nothing moved since.</summary>
    public IReadOnlyList<FileStatus>? Kept(IReadOnlyList<string> paths)
    {
        Start();
        lock (_gate)
            return _kept is { } kept && kept.Moves == _moves && _watched is not null && kept.Paths.SequenceEqual(paths, StringComparer.Ordinal)
                ? kept.Stamps
                : null;
    }

    /// <summary>Keeps stamps taken after <see cref="Moves"/> read <paramref name="movesBefore"/>, if nothing moved since.</summary>
    public void Keep(IReadOnlyList<string> paths, long movesBefore, IReadOnlyList<FileStatus> stamps)
    {
        lock (_gate)
            if (movesBefore == _moves && _watched is { } watched && paths.All(watched.Contains))
                _kept = (movesBefore, paths.ToArray(), stamps);
    }

    /// <summary>The app wrote one of the files: what is kept is stale now, not only once inotify says so.</summary>
    public void Drop()
    {
        lock (_gate) Moved();
    }

    /// <summary>True while a watch call is in place in the broker (the first answer came and none failed since).</summary>
    internal bool Live
    {
        get { lock (_gate) return _watched is not null; }
    }

    public void Dispose() => _disposed = true;

    private void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            new Thread(Run) { IsBackground = true, Name = "acf host file watch" }.Start();
    }

    private void Run()
    {
        var seen = -1L;
        while (!_disposed)
        {
            var paths = HostFileStamps.KnownPaths();
            BrokerResult<long> answer;
            try
            {
                answer = broker.Send(HostCaller, new WatchHostFilesRequest(paths, seen));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nothing may end this thread but the app: a failure leaves every request to stat, as without a watch.
                answer = BrokerResult<long>.Fail(BrokerErrorKind.Failed, e.Message);
            }
            lock (_gate)
            {
                // A path newly watched may have changed before its watch was in place: nothing kept before counts.
                if (!answer.Ok || answer.Value != seen || _watched is null || !_watched.SetEquals(paths)) Moved();
                _watched = answer.Ok ? new HashSet<string>(paths, StringComparer.Ordinal) : null;
            }
            if (answer.Ok) seen = answer.Value;
            else Thread.Sleep(RetryAfter);
        }
    }

    private void Moved()
    {
        _moves++;
        _kept = null;
    }
}
