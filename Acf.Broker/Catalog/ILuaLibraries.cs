namespace Acf.Broker.Catalog;

/// <summary>Where <c>require</c> finds the shared libraries: the catalog in the app, the pipe in a worker.</summary>
public interface ILuaLibraries
{
    /// <summary>The source of <c>lib/&lt;name&gt;.lua</c>, or null when there is none.</summary>
    byte[]? ReadLibrary(string name);
}
