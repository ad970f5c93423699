using System.Collections.Concurrent;

namespace Acf.Broker;

/// <summary>
/// The stamps (exists, modified, size) of the host's own files, taken once per scope: an HTTP request of the API opens
/// one (<see cref="Begin"/>), and the first <see cref="HostFile{T}.Load"/> in it stats every host file in one broker
/// call (<see cref="StatFilesRequest"/>), so that the token check, the user's lock and the role check cost one round
/// trip to a broker process instead of one each. Nothing outlives the scope (work the request started that runs on
/// after it, holding its context, stats afresh): the next request stats again, so a lock,
/// a logout or a role change made before it began ends its access as before; a save within the scope drops that
/// file's stamp. Outside a scope (a Blazor circuit, which is one long request) every load stats its file, as before.
/// </summary>
public static class HostFileStamps
{
    private static readonly ConcurrentDictionary<string, byte> Known = new(StringComparer.Ordinal);
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>Opens a scope for the current flow (an HTTP request); disposing it closes it.</summary>
    public static IDisposable Begin()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope;
        return scope;
    }

    internal static void Register(string path) => Known.TryAdd(path, 0);

    /// <summary>The host files registered so far, in order (at most <see cref="SystemBroker.MaxStatFiles"/>).</summary>
    internal static List<string> KnownPaths() =>
        Known.Keys.Order(StringComparer.Ordinal).Take(SystemBroker.MaxStatFiles).ToList();

    /// <summary>The file's state: from the scope when it has it, else (in a scope) every known host file's in one call.</summary>
    internal static BrokerResult<FileStatus> Stat(ISystemBroker broker, BrokerCaller caller, string path)
    {
        if (Current.Value is not { Closed: false } scope) return broker.Send(caller, new StatRequest(path));
        lock (scope)
        {
            if (scope.Broker == broker && scope.Stamps.TryGetValue(path, out var known)) return BrokerResult<FileStatus>.Success(known);
            if (scope.Broker is not null && scope.Broker != broker) return broker.Send(caller, new StatRequest(path));
        }
        var paths = Known.Keys.Append(path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Take(SystemBroker.MaxStatFiles).ToList();
        if (!paths.Contains(path)) return broker.Send(caller, new StatRequest(path));
        // A broker process that watches the host's files: their stamps are kept between requests until one changes.
        var watch = (broker as IWatchesHostFiles)?.HostFiles;
        var all = watch?.Kept(paths) is { } kept ? BrokerResult<IReadOnlyList<FileStatus>>.Success(kept) : Asked(broker, caller, paths, watch);
        // One path refused (or an older broker): this file alone, so its answer is the one a single stat gives.
        if (!all.Ok || all.Value!.Count != paths.Count) return broker.Send(caller, new StatRequest(path));
        lock (scope)
        {
            scope.Broker = broker;
            for (var i = 0; i < paths.Count; i++) scope.Stamps[paths[i]] = all.Value[i];
        }
        return BrokerResult<FileStatus>.Success(all.Value[paths.IndexOf(path)]);
    }

    /// <summary>The stamps from the broker, kept by <paramref name="watch"/> for later requests when nothing moved meanwhile.</summary>
    private static BrokerResult<IReadOnlyList<FileStatus>> Asked(ISystemBroker broker, BrokerCaller caller, List<string> paths, HostStampWatch? watch)
    {
        var movesBefore = watch?.Moves ?? 0;
        var all = broker.Send(caller, new StatFilesRequest(paths));
        if (watch is not null && all.Ok && all.Value!.Count == paths.Count) watch.Keep(paths, movesBefore, all.Value);
        return all;
    }

    /// <summary>The file was written (through <paramref name="broker"/>) in this flow: its next load stats it again, and
    /// so does every later request's.</summary>
    internal static void Forget(ISystemBroker broker, string path)
    {
        (broker as IWatchesHostFiles)?.HostFiles.Drop();
        if (Current.Value is not { } scope) return;
        lock (scope) scope.Stamps.Remove(path);
    }

    private sealed class Scope(Scope? outer) : IDisposable
    {
        public ISystemBroker? Broker;
        public readonly Dictionary<string, FileStatus> Stamps = new(StringComparer.Ordinal);

        /// <summary>Set when the request ends: work it started that outlives it (a timer, a worker's read loop) holds
        /// the scope in its captured context, and must stat afresh rather than use the request's stamps.</summary>
        public volatile bool Closed;

        public void Dispose()
        {
            Closed = true;
            Current.Value = outer;
        }
    }
}
