using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Acf.Broker;
using Microsoft.Extensions.Logging;
using System.Text.Json.Serialization.Metadata;

namespace Acf.Broker.Catalog;

/// <summary>
/// Finds the modules under the modules folder (one folder with a <c>manifest.json</c> each) and serves their Lua
/// sources: controllers, each module's own <c>lib/</c> and the shared <c>lib/</c>. Manifests are read once at start; sources are cached and re-read only when the file changes, so a
/// request never reads the same source twice.
/// </summary>
public sealed partial class ModuleCatalog : ILuaLibraries
{
    /// <summary>The pseudo-module the host itself acts as (users, the app bar's host name): its capabilities are fixed here.</summary>
    public static readonly ModuleManifest Host = new()
    {
        Prefix = "acf",
        Title = "Acf",
        Capabilities = new ModuleCapabilities
        {
            Read = ["/etc/hostname", "/etc/alpine-release", "/lib/apk/db/installed"],
            Write = ["/etc/acf/passwd", "/etc/acf/roles", "/etc/acf/otp", "/etc/acf/api-tokens"],
            Lbu = ["read", "commit"], // Acf:Lbu:AutoCommit commits as the host
        },
    };

    private static readonly JsonTypeInfo<ModuleManifest> ManifestJson = BrokerFilesJson.Of<ModuleManifest>(new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    });

    private readonly string _root;
    private readonly ILogger<ModuleCatalog> _logger;
    private readonly Dictionary<string, ModuleManifest> _modules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedSource> _sources = new(StringComparer.Ordinal);

    /// <summary>A module is a folder with a manifest; <c>lib</c> is the shared Lua, and a folder whose name starts with
    /// <c>_</c> (the template a contributor copies) is never loaded.</summary>
    public static bool IsModuleFolder(string dir)
    {
        var name = Path.GetFileName(dir);
        return name != "lib" && !name.StartsWith('_') && File.Exists(Path.Combine(dir, "manifest.json"));
    }

    public ModuleCatalog(SystemHost host, ILogger<ModuleCatalog> logger)
    {
        _root = host.ModulesPath;
        _logger = logger;
        foreach (var dir in Directory.EnumerateDirectories(_root).Order(StringComparer.Ordinal))
        {
            var prefix = Path.GetFileName(dir);
            if (!IsModuleFolder(dir)) continue;
            try
            {
                _modules[prefix] = Load(dir, prefix);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
            {
                // One broken module must not take the others down; it is left out and said so loudly.
                _logger.LogError("Module {Module} is left out: {Reason}", prefix, e.Message);
            }
        }
        _logger.LogInformation("Found {Count} modules in {Path}", _modules.Count, _root);
    }

    public IReadOnlyCollection<ModuleManifest> Modules => _modules.Values;

    /// <summary>Whether some module declares <paramref name="canonical"/> a file of secrets (whoever writes it: the
    /// module, a rollback, the history page's restore).</summary>
    public bool IsSecret(string canonical) => _modules.Values.Any(m => m.Capabilities.HoldsSecrets(canonical));

    public ModuleManifest? Find(string prefix) => _modules.GetValueOrDefault(prefix);

    /// <summary>The manifest of a caller name, the host's own included.</summary>
    public ModuleManifest? FindCaller(string module) => module == Host.Prefix ? Host : Find(module);

    /// <summary>The source of <c>&lt;prefix&gt;/&lt;controller&gt;.lua</c>, or null when the module has no such controller.</summary>
    public byte[]? ReadController(string prefix, string controller) =>
        _modules.ContainsKey(prefix) && NamePattern().IsMatch(controller)
            ? ReadCached(Path.Combine(_root, prefix, controller + ".lua"))
            : null;

    /// <summary>
    /// The library a module's <c>require</c> names: the module's own <c>lib/&lt;name&gt;.lua</c> first, then the shared
    /// <c>lib/&lt;name&gt;.lua</c>; null when neither exists. The name is one word (no path), the module a known one.
    /// </summary>
    public LuaLibrary? ReadLibrary(LibraryRequest request)
    {
        if (!NamePattern().IsMatch(request.Name)) return null;
        if (_modules.ContainsKey(request.Module)
            && ReadCached(Path.Combine(_root, request.Module, "lib", request.Name + ".lua")) is { } own)
            return new LuaLibrary($"{request.Module}/lib/{request.Name}.lua", own);
        return ReadCached(Path.Combine(_root, "lib", request.Name + ".lua")) is { } shared
            ? new LuaLibrary($"lib/{request.Name}.lua", shared)
            : null;
    }

    /// <summary>Parses and checks one manifest; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static ModuleManifest Load(string dir, string prefix)
    {
        if (!PrefixPattern().IsMatch(prefix)) throw new InvalidDataException($"'{prefix}' is not a valid module name.");
        var manifest = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(dir, "manifest.json")), ManifestJson)
            ?? throw new InvalidDataException("manifest.json is empty.");
        manifest = manifest with { Prefix = prefix };
        foreach (var action in manifest.Actions)
        {
            var parts = action.Split('/');
            if (parts.Length != 2 || !NamePattern().IsMatch(parts[0]) || !NamePattern().IsMatch(parts[1]))
                throw new InvalidDataException($"'{action}' is not a controller/action pair.");
            if (!File.Exists(Path.Combine(dir, parts[0] + ".lua")))
                throw new InvalidDataException($"'{action}' names a controller without {parts[0]}.lua.");
        }
        foreach (var entry in manifest.Menu.Where(m => !manifest.Actions.Contains(m.Action)))
            throw new InvalidDataException($"The menu entry '{entry.Tab}' points at '{entry.Action}', which no role grants.");
        var caps = manifest.Capabilities;
        foreach (var path in caps.Read.Concat(caps.Write).Concat(manifest.Conditions.PathExists))
            if (!path.StartsWith('/') || path.Split('/').Any(p => p is ".." or "."))
                throw new InvalidDataException($"The path '{path}' must be absolute without '.' or '..'.");
        foreach (var argv in caps.Exec)
            if (argv.Count == 0 || argv.Any(w => w.Length == 0 || w.Any(char.IsControl)))
                throw new InvalidDataException("An exec capability must be a non-empty argv of non-empty words.");
        return manifest;
    }

    private byte[]? ReadCached(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        var stamp = (info.LastWriteTimeUtc, info.Length);
        if (_sources.TryGetValue(path, out var cached) && cached.Stamp == stamp) return cached.Bytes;
        var bytes = File.ReadAllBytes(path);
        _sources[path] = new CachedSource(stamp, bytes);
        return bytes;
    }

    private sealed record CachedSource((DateTime, long) Stamp, byte[] Bytes);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[a-z0-9_][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();
}
