using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Acf.Modules;

/// <summary>Where Acf's settings come from, the same for the app, its broker process and the ahead-of-time helper.</summary>
public static class AcfConfiguration
{
    /// <summary>
    /// Puts the repository's <c>appsettings.json</c> (every default) and the box's <c>/etc/acf/appsettings.json</c>
    /// first, so that the app's own files, environment variables (<c>Acf__System__Mode</c>) and the command line
    /// still override them.
    /// </summary>
    public static TBuilder AddAcfConfiguration<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var defaults = FindDefaults(builder.Environment.ContentRootPath);
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        if (Directory.Exists("/etc/acf")) sources.Insert(0, JsonFile("/etc/acf/appsettings.json", optional: true));
        if (defaults is not null)
        {
            sources.Insert(0, JsonFile(defaults, optional: false));
            LoadOnlyFirst(sources, defaults);
        }
        return builder;
    }

    /// <summary>
    /// Drops later JSON sources that load <paramref name="path"/> again. Published, the app's own appsettings.json
    /// (the content root's) is the defaults file itself: read again after /etc/acf/appsettings.json it would put the
    /// defaults back over the box's settings.
    /// </summary>
    internal static void LoadOnlyFirst(IList<IConfigurationSource> sources, string path)
    {
        var full = Path.GetFullPath(path);
        var same = sources.OfType<JsonConfigurationSource>()
            .Where(s => s.FileProvider is PhysicalFileProvider files && s.Path is not null
                && Path.GetFullPath(Path.Combine(files.Root, s.Path)) == full)
            .Skip(1)
            .ToList();
        foreach (var source in same) sources.Remove(source);
    }

    private static JsonConfigurationSource JsonFile(string path, bool optional) => new()
    {
        FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(path)!),
        Path = Path.GetFileName(path),
        Optional = optional,
        ReloadOnChange = false,
    };

    private static string? FindDefaults(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "appsettings.json");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Acf.sln"))) return candidate;
        }
        var published = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        return File.Exists(published) ? published : null;
    }
}
