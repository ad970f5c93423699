namespace Acf.Tests.Broker;

/// <summary>
/// A throwaway folder holding a system root (<c>root/</c>) and, beside it, what stands for the rest of the machine, so
/// that a test can tell nothing outside the root was touched; deleted on dispose. The roots of apk, lbu and OpenRC
/// add their tool's files.
/// </summary>
public abstract class TestRoot : IDisposable
{
    protected TestRoot(string prefix)
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Directory.CreateDirectory(Root);
    }

    /// <summary>The throwaway folder: the root and what lies beside it.</summary>
    public string Folder { get; }

    public string Root => Path.Combine(Folder, "root");

    public SystemHost Host => new(HostMode.Demo, Root, Path.Combine(Folder, "data"), Path.Combine(Folder, "modules"));

    /// <summary>The host path of a rooted path, without resolving anything.</summary>
    public string HostPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    /// <summary>Writes a file at a rooted path, its folders made as needed; answers its host path.</summary>
    public string Write(string path, string content, UnixFileMode? mode = null)
    {
        var file = HostPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        if (mode is { } m) File.SetUnixFileMode(file, m);
        return file;
    }

    /// <summary>The text of the file at a rooted path.</summary>
    public string Read(string path) => File.ReadAllText(HostPath(path));

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
