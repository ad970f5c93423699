namespace Acf.Broker.Catalog;

/// <summary>A <c>require</c> from a module's code: the module asking (its own <c>lib/</c> is searched first) and the
/// library's name (letters, digits, '_' and '-' only: no path). <paramref name="Known"/> is the content hash of the
/// copy a worker already holds (null when it holds none): the app then answers "unchanged" instead of the text.</summary>
public sealed record LibraryRequest(string Module, string Name, string? Known = null);

/// <summary>A library as <c>require</c> found it: where (for error messages, e.g. <c>awall/lib/awallfiles.lua</c>)
/// and its text.</summary>
public sealed record LuaLibrary(string Path, byte[] Source);

/// <summary>Where <c>require</c> finds libraries: the catalog in the app, the pipe in a worker.</summary>
public interface ILuaLibraries
{
    /// <summary><c>modules-lua/&lt;module&gt;/lib/&lt;name&gt;.lua</c>, else the shared <c>modules-lua/lib/&lt;name&gt;.lua</c>,
    /// else null.</summary>
    LuaLibrary? ReadLibrary(LibraryRequest request);
}
