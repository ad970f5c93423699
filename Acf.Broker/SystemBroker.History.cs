using System.Globalization;
using System.Text.RegularExpressions;

namespace Acf.Broker;

/// <summary>
/// The history kept under <c>&lt;data&gt;/history/&lt;path&gt;/&lt;time&gt;</c>: listing, reading and restoring versions.
/// A restore goes through the same atomic, conflict-checked replacement as a module's write.
/// </summary>
internal abstract partial class SystemBroker
{
    private const string VersionFormat = "yyyyMMdd'T'HHmmssfffffff'Z'";

    [GeneratedRegex(@"^\d{8}T\d{13}Z$")]
    private static partial Regex VersionName();

    internal BrokerResult<IReadOnlyList<FileVersion>> ListHistory(BrokerCaller caller, HistoryRequest request)
    {
        if (Resolve(caller, request.Path, write: true, out var path, restore: true) is { } refusal)
            return Refuse<IReadOnlyList<FileVersion>>(refusal);
        var folder = HistoryFolder(path.Canonical);
        if (!Directory.Exists(folder)) return BrokerResult<IReadOnlyList<FileVersion>>.Success([]);
        var versions = new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => VersionName().IsMatch(f.Name) && f.LinkTarget is null)
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Select(f => new FileVersion(f.Name, ParseVersion(f.Name), f.Length, Sha256(File.ReadAllBytes(f.FullName))))
            .ToList();
        return BrokerResult<IReadOnlyList<FileVersion>>.Success(versions);
    }

    internal BrokerResult<FileContent> ReadVersion(BrokerCaller caller, VersionRequest request)
    {
        if (Resolve(caller, request.Path, write: true, out var path, restore: true) is { } refusal) return Refuse<FileContent>(refusal);
        if (request.Version is null)
        {
            if (!File.Exists(path.HostPath)) return BrokerResult<FileContent>.Success(new FileContent(path.Requested, [], FileTags.Absent));
            if (ReadCapped(path.HostPath) is not { } current)
                return BrokerResult<FileContent>.Fail(BrokerErrorKind.Failed, $"{path.Requested} is larger than {MaxReadBytes >> 20} MiB.");
            return BrokerResult<FileContent>.Success(new FileContent(path.Requested, current, FileTags.Of(current)));
        }
        if (VersionFile(path.Canonical, request.Version) is not { } file)
            return BrokerResult<FileContent>.Fail(BrokerErrorKind.NotFound, $"{path.Requested} has no version {Printable(request.Version)}.");
        var bytes = File.ReadAllBytes(file);
        return BrokerResult<FileContent>.Success(new FileContent(path.Requested, bytes, FileTags.Of(bytes)));
    }

    internal BrokerResult<WriteFileResult> RestoreFile(BrokerCaller caller, RestoreFileRequest request)
    {
        if (Resolve(caller, request.Path, write: true, out var path, restore: true) is { } refusal) return Refuse<WriteFileResult>(refusal);
        if (VersionFile(path.Canonical, request.Version) is not { } file)
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.NotFound, $"{path.Requested} has no version {Printable(request.Version)}.");
        try
        {
            var bytes = File.ReadAllBytes(file);
            lock (_writeGate)
                return Replace(caller, path, new WriteFileRequest(path.Requested, bytes, request.ExpectedTag), "restore",
                    detail: "version " + request.Version);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<WriteFileResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} cannot be restored: {e.Message}");
        }
    }

    /// <summary>
    /// A module restores only what it may write. The host restores what some module may write (or it writes itself):
    /// nothing outside the manifests' write capabilities can be put back, whatever the history folder holds.
    /// </summary>
    private bool MayRestore(BrokerCaller caller, string path)
    {
        if (catalog.FindCaller(caller.Module) is not { } manifest) return false;
        if (manifest.Capabilities.MayWrite(path)) return true;
        return caller.Module == ModuleCatalog.Host.Prefix && catalog.Modules.Any(m => m.Capabilities.MayWrite(path));
    }

    private string HistoryFolder(string canonical) => Path.Combine(host.HistoryPath, canonical.TrimStart('/'));

    private string? VersionFile(string canonical, string version)
    {
        if (!VersionName().IsMatch(version)) return null;
        var file = new FileInfo(Path.Combine(HistoryFolder(canonical), version));
        return file.Exists && file.LinkTarget is null ? file.FullName : null;
    }

    private static DateTimeOffset ParseVersion(string name) =>
        DateTimeOffset.ParseExact(name, VersionFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
