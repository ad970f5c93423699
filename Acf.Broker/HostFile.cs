namespace Acf.Broker;

/// <summary>
/// One of the host's own files (<c>/etc/acf/passwd</c>, <c>/etc/acf/roles</c>, <c>/etc/acf/otp</c>) read and written through the broker as
/// the host pseudo-module, so writes are atomic, conflict-checked and audited like a module's. The parse is cached
/// and a stat tells whether it is still current, so the file is read only when it changed (within an API request, one
/// stat of all the host's files: <see cref="HostFileStamps"/>).
/// </summary>
/// <typeparam name="T">The parsed form.</typeparam>
public sealed class HostFile<T> where T : class
{
    private static readonly BrokerCaller HostCaller = new("acf", ModuleCatalog.Host.Prefix);
    private readonly ISystemBroker _broker;
    private readonly string _path;
    private readonly Func<string, T> _parse;
    private readonly bool _secret;
    private readonly int? _mode;
    private readonly Lock _gate = new();
    private ((DateTimeOffset?, long) Stamp, string Tag, T Value)? _cache;

    /// <summary>Internal: the runtime hands one out (<c>HostActions.File</c>), so a page never holds the broker.</summary>
    /// <param name="mode">The mode every save sets (and so tightens an older file's), or null to keep the file's.</param>
    internal HostFile(ISystemBroker broker, string path, Func<string, T> parse, bool secret = false, int? mode = null)
    {
        _broker = broker;
        _path = path;
        _parse = parse;
        _secret = secret;
        _mode = mode;
        HostFileStamps.Register(path);
    }

    /// <summary>The file's path under the system root.</summary>
    public string Path => _path;

    /// <summary>The parsed file and its tag (<see cref="FileTags.Absent"/> when it does not exist: then the parse of "").</summary>
    /// <exception cref="IOException">The broker could not read it.</exception>
    public (string Tag, T Value) Load()
    {
        var stat = HostFileStamps.Stat(_broker, HostCaller, _path);
        if (!stat.Ok) throw new IOException(stat.Error!.Message);
        if (!stat.Value!.Exists) return (FileTags.Absent, _parse(""));
        var stamp = (stat.Value.Modified, stat.Value.Size);
        lock (_gate)
        {
            if (_cache is { } cached && cached.Stamp == stamp) return (cached.Tag, cached.Value);
        }
        var read = _broker.Send(HostCaller, new ReadFileRequest(_path));
        if (read.Error is { Kind: BrokerErrorKind.NotFound }) return (FileTags.Absent, _parse(""));
        if (!read.Ok) throw new IOException(read.Error!.Message);
        var parsed = _parse(Encoding.UTF8.GetString(read.Value!.Bytes));
        lock (_gate) _cache = (stamp, read.Value.Tag, parsed);
        return (read.Value.Tag, parsed);
    }

    /// <summary>A private parse of the current file, to change and save (the cached one stays as on disk if the save fails).</summary>
    public (string Tag, T Value) LoadCopy(Func<T, string> text)
    {
        var (tag, value) = Load();
        return (tag, _parse(text(value)));
    }

    /// <summary>Writes the text, refused when the file changed since <paramref name="tag"/> was read.</summary>
    /// <returns>Null on success, else the broker's message (a conflict says to reload).</returns>
    public string? Save(string text, string tag, string actingUser)
    {
        var result = _broker.Send(HostCaller with { User = actingUser },
            new WriteFileRequest(_path, Encoding.UTF8.GetBytes(text), tag, Mode: _mode, Secret: _secret));
        lock (_gate) _cache = null;
        HostFileStamps.Forget(_broker, _path);
        return result.Ok ? null : result.Error!.Message;
    }
}
