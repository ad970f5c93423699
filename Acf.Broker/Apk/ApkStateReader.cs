using System.Runtime.InteropServices;

namespace Acf.Broker.Apk;

/// <summary>
/// Reads apk's state from its files under the system root, the same on Alpine and on the demo host: the installed
/// database, world, repositories and every cached index (<c>/var/cache/apk/APKINDEX.*.tar.gz</c>, and any under
/// <c>/lib/apk/db</c>). Parsed indexes are kept while their file is unchanged (same length and time), since a
/// repository's index holds tens of thousands of packages and changes only on <c>apk update</c>.
/// </summary>
internal sealed class ApkStateReader(SystemHost host)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedIndex> _indexes = new(StringComparer.Ordinal);

    private MergedIndexes? _merged;

    private sealed record CachedIndex(long Length, DateTime Modified, ApkIndex Index);

    /// <summary>The available list built from exactly these parsed indexes, in this order.</summary>
    private sealed record MergedIndexes(ApkIndex[] Sources, ApkPackage[] Packages);

    /// <summary>An index file found under the root, with the repository line it belongs to (null when none does).</summary>
    public sealed record IndexFile(string HostPath, string? Repository);

    /// <summary>apk's state, each part read from its files when first asked for (see <see cref="ApkState"/>).</summary>
    public ApkState Read()
    {
        var repositories = new Lazy<IReadOnlyList<string>>(() => ApkRepositories.Parse(ApkFiles.ReadText(host.Root, ApkFiles.Repositories)));
        return new ApkState(
            () => ReadInstalled(new ApkStringPool()),
            () => ApkWorld.Parse(ApkFiles.ReadText(host.Root, ApkFiles.World)),
            () => Available(repositories.Value),
            () => repositories.Value);
    }

    /// <summary>
    /// Every package of the indexes, the first repository's copy of a name and version winning as in apk, sorted
    /// <see cref="NewestFirst"/>. Kept while the same parsed indexes come back in the same order (<see cref="ReadIndex"/>
    /// keeps each while its file is unchanged): merging and sorting a 20,000-package index allocated about 5 MB and
    /// took most of the CPU of every read, even of the installed list that does not use it (issue 19).
    /// </summary>
    private ApkPackage[] Available(IReadOnlyList<string> repositories)
    {
        var indexes = new List<ApkIndex>();
        foreach (var file in IndexFiles(repositories))
            if (ReadIndex(file.HostPath) is { } index) indexes.Add(index);
        lock (_gate)
            if (_merged is { } merged && merged.Sources.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(indexes), ReferenceEqualityComparer.Instance))
                return merged.Packages;
        var available = new List<ApkPackage>();
        var seen = new HashSet<(string, string)>();
        foreach (var index in indexes)
            foreach (var package in index.Packages)
                if (seen.Add((package.Name, package.Version))) available.Add(package); // the first repository wins, as in apk
        available.Sort(NewestFirst);
        var packages = available.ToArray();
        lock (_gate) _merged = new MergedIndexes([.. indexes], packages);
        return packages;
    }

    public List<ApkPackage> ReadInstalled(ApkStringPool? pool = null)
    {
        var path = ApkFiles.HostPath(host.Root, ApkFiles.Installed);
        if (!File.Exists(path)) return [];
        using var stream = ApkFiles.OpenRead(path);
        return ApkPackageReader.Read(stream, pool ?? new ApkStringPool());
    }

    /// <summary>By name (byte order), then the newest version first.</summary>
    public static int NewestFirst(ApkPackage a, ApkPackage b)
    {
        var byName = string.CompareOrdinal(a.Name, b.Name);
        return byName != 0 ? byName : ApkVersion.Compare(b.Version, a.Version);
    }

    /// <summary>
    /// The cached indexes in the repositories' order (a cache file is named after its repository's URL), then any
    /// other index found, by name.
    /// </summary>
    public List<IndexFile> IndexFiles(IReadOnlyList<string> repositories)
    {
        var found = new List<string>();
        foreach (var folder in new[] { ApkFiles.CacheFolder, ApkFiles.DatabaseFolder })
        {
            var hostFolder = ApkFiles.HostPath(host.Root, folder);
            if (Directory.Exists(hostFolder))
                found.AddRange(Directory.EnumerateFiles(hostFolder, "APKINDEX.*.tar.gz").Order(StringComparer.Ordinal));
        }
        var byName = found.GroupBy(Path.GetFileName).ToDictionary(g => g.Key!, g => g.First(), StringComparer.Ordinal);
        var ordered = new List<IndexFile>();
        foreach (var line in repositories)
        {
            if (ApkRepositories.UrlOf(line) is not { } url) continue;
            if (byName.Remove(ApkRepositories.CacheFileName(url), out var path)) ordered.Add(new IndexFile(path, line));
        }
        ordered.AddRange(found.Where(p => byName.ContainsValue(p)).Select(p => new IndexFile(p, null)));
        return ordered;
    }

    /// <summary>
    /// Drops the parsed indexes and the merged list: the broker does when it has been quiet for a while (issue 19: after
    /// the bench's mixed load the 20,000-package index was 22 MB of the broker's 44 MB private memory, against 20 MB at
    /// rest). Only the first read after a quiet spell parses again (about 50-80 ms for such an index); reads in a burst
    /// keep finding them.
    /// </summary>
    public void Forget()
    {
        lock (_gate)
        {
            _indexes.Clear();
            _indexes.TrimExcess();
            _merged = null;
        }
    }

    /// <summary>The parsed index (cached while the file is unchanged); null for a file that is not an index.</summary>
    public ApkIndex? ReadIndex(string hostPath)
    {
        var info = new FileInfo(hostPath);
        lock (_gate)
            if (_indexes.TryGetValue(hostPath, out var cached) && cached.Length == info.Length && cached.Modified == info.LastWriteTimeUtc)
                return cached.Index;
        ApkIndex index;
        try
        {
            index = ApkIndexArchive.Read(hostPath);
        }
        catch (InvalidDataException)
        {
            return null; // a broken or half-downloaded cache file: apk would fetch it again
        }
        lock (_gate) _indexes[hostPath] = new CachedIndex(info.Length, info.LastWriteTimeUtc, index);
        return index;
    }
}
