namespace Acf.Broker;

/// <summary>Making folders: checked against the write capability (every folder made, not only the last), audited.</summary>
internal abstract partial class SystemBroker
{
    private const int DefaultFolderMode = 0b111_101_101; // 0755

    internal BrokerResult<MakeDirectoryResult> MakeDirectory(BrokerCaller caller, MakeDirectoryRequest request)
    {
        if (request.Mode is < 0 or > WriteFileRequest.MaxMode)
            return BrokerResult<MakeDirectoryResult>.Fail(BrokerErrorKind.Invalid, "A folder's mode is 0 to 0777 (permission bits only).");
        if (Resolve(caller, request.Path, write: true, out var path) is { } refusal) return Refuse<MakeDirectoryResult>(refusal);
        var caps = Capabilities(caller)!;
        try
        {
            lock (_writeGate)
            {
                if (Directory.Exists(path.HostPath)) return BrokerResult<MakeDirectoryResult>.Success(new(path.Requested, []));
                // The missing folders, innermost first: each must be one the caller may write, so a capability for
                // /srv/samba/ may make /srv/samba itself but never /srv on a box without it.
                var missing = new List<(string Canonical, string HostPath)>();
                for (var (canonical, hostPath) = (path.Canonical, path.HostPath); !Directory.Exists(hostPath);
                     (canonical, hostPath) = (Parent(canonical), Path.GetDirectoryName(hostPath)!))
                {
                    if (File.Exists(hostPath) || new FileInfo(hostPath).LinkTarget is not null)
                        return BrokerResult<MakeDirectoryResult>.Fail(BrokerErrorKind.Invalid, $"{canonical} exists and is not a folder.");
                    if (!caps.MayWrite(canonical))
                        return BrokerResult<MakeDirectoryResult>.Fail(BrokerErrorKind.Denied, DeniedMessage(caller, "write", canonical));
                    missing.Add((canonical, hostPath));
                }
                missing.Reverse();
                var mode = (UnixFileMode)(request.Mode ?? DefaultFolderMode);
                foreach (var (canonical, hostPath) in missing)
                {
                    Directory.CreateDirectory(hostPath, mode);
                    File.SetUnixFileMode(hostPath, mode); // the process's umask narrowed what mkdir made
                    audit.Write(caller, "mkdir", canonical, detail: $"mode {Convert.ToString((int)mode, 8)}");
                }
                return BrokerResult<MakeDirectoryResult>.Success(new(path.Requested, missing.Select(m => m.Canonical).ToList()));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BrokerResult<MakeDirectoryResult>.Fail(BrokerErrorKind.Failed, $"{path.Requested} cannot be made: {e.Message}");
        }
    }

    private static string Parent(string canonical)
    {
        var slash = canonical.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : canonical[..slash];
    }
}
