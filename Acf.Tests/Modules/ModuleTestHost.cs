using Acf.Modules.Apply;
using Acf.Broker.OpenRc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Tests.Modules;

/// <summary>
/// A throwaway system root, data folder and modules folder (the real <c>modules-lua/lib</c> plus modules a test
/// writes), wired by the app's own registration (<see cref="AcfModulesExtensions.AddAcfModules"/>) with only the
/// places, the options objects, the clock and the worker pool substituted. Module code runs in the workers, as in the
/// app, unless a test hands the host another executor (the in-process <see cref="Doubles.InProcessExecutor"/>).
/// Deleted on dispose.
/// </summary>
public sealed class ModuleTestHost : IDisposable
{
    public static readonly AcfPrincipal Admin = new("root", [AcfRoles.Admin]);
    public static readonly AcfPrincipal Guest = new("guest", [AcfRoles.Guest]);
    public static readonly AcfPrincipal User = new("user", [AcfRoles.User]);
    public static readonly AcfPrincipal Editor = new("editor", [AcfRoles.Editor]);

    private readonly string _dir = Directory.CreateTempSubdirectory("acf-test-").FullName;
    private readonly List<ServiceProvider> _providers = [];
    private ModuleRunner? _runner;

    /// <summary>
    /// The worker processes every test host shares (workers hold no state between actions, so hosts with different
    /// roots and modules can share them); a test that kills workers passes its own pool.
    /// </summary>
    internal static readonly ModuleWorkerPool SharedWorkers = new(WorkerLaunch.Default(), 3, NullLogger.Instance);

    private readonly ModuleWorkerPool _workers;
    private readonly IActionExecutor? _executor;

    /// <param name="executor">Where module code runs instead of <paramref name="workers"/> (a test double).</param>
    internal ModuleTestHost(ModulesOptions? limits = null, bool copyRealModules = false, SystemOptions? system = null,
        ModuleWorkerPool? workers = null, IActionExecutor? executor = null)
    {
        _workers = workers ?? SharedWorkers;
        _executor = executor;
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(DataPath);
        CopyTree(Path.Combine(RepositoryRoot, "modules-lua", "lib"), Path.Combine(ModulesPath, "lib"));
        if (copyRealModules)
            foreach (var dir in Directory.GetDirectories(Path.Combine(RepositoryRoot, "modules-lua")))
                CopyTree(dir, Path.Combine(ModulesPath, Path.GetFileName(dir)), skip: ModuleTestData);
        Limits = limits ?? new ModulesOptions { WallTimeSeconds = 5 };
        System = system ?? new SystemOptions { Mode = "demo" };
    }

    /// <summary>
    /// A host on a fresh copy of the demo appliance (<c>demo/</c>) with every real module and the default limits:
    /// what module tests and module fixtures run on.
    /// </summary>
    public static ModuleTestHost Demo(SystemOptions? system = null)
    {
        var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true, system: system);
        host.CopyDemoTree();
        return host;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A module's corpus of real files (<c>modules-lua/MODULE/corpus</c>): the folder, the files laid at one
    /// path on a box, or one variant of them.</summary>
    public static string CorpusPath(string module, string path = "", string variant = "") =>
        Path.Combine(RepositoryRoot, "modules-lua", module, "corpus", path.TrimStart('/'), variant);

    /// <summary>A module's test data (real config files, fixtures) is not part of the module the runtime loads.</summary>
    private static readonly string[] ModuleTestData = ["corpus", "fixtures"];

    public string Root => Path.Combine(_dir, "root");

    public string DataPath => Path.Combine(_dir, "data");

    public string ModulesPath => Path.Combine(_dir, "modules");

    public ModulesOptions Limits { get; }

    public SystemOptions System { get; }

    public LbuOptions Lbu { get; } = new();

    public ApplyOptions Apply { get; } = new();

    /// <summary>The clock of confirm-or-rollback countdowns (tests move it by hand).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    internal ApplyGuard Guard { get; private set; } = null!;

    public SystemHost Host => new(HostMode.Demo, Root, DataPath, ModulesPath);

    internal AuditLog Audit => new(Host, TimeProvider.System);

    public ModuleCatalog Catalog { get; private set; } = null!;

    /// <summary>Who may call what, as the runner checks it: the current runner's (built with it).</summary>
    public ModuleAccess Access
    {
        get
        {
            _ = Runner;
            return _access!;
        }
    }

    private ModuleAccess? _access;

    internal ISystemBroker Broker { get; private set; } = null!;

    /// <summary>Wraps the demo broker the runtime is given (set before the first action), so a test's spy sees each
    /// request as the broker gets it (what a simulated command's stdin was, which the audit never records).</summary>
    internal Func<ISystemBroker, ISystemBroker>? WrapBroker { get; init; }

    /// <summary>The broker, wired up first when no action has run yet (for tests that call the broker directly).</summary>
    internal ISystemBroker ReadyBroker
    {
        get
        {
            _ = Runner;
            return Broker;
        }
    }

    /// <summary>Copies the repository's demo appliance tree (<c>demo/</c>) into the system root.</summary>
    public void CopyDemoTree()
    {
        CopyTree(Path.Combine(RepositoryRoot, "demo"), Root);
        // As the app's demo copy does: a private key (sshd's host key) is kept 0600, or sshd -t ignores it.
        foreach (var key in Directory.EnumerateFiles(Root, "*_key", SearchOption.AllDirectories))
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Copies a folder's files over the system root at <paramref name="rootPath"/> (a fixture's before/ tree).</summary>
    public void CopyIntoRoot(string folder, string rootPath) => CopyTree(folder, RootPath(rootPath));

    /// <summary>The host path of a file in the system root.</summary>
    public string RootPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    /// <summary>Writes a module (manifest and controllers) into the modules folder.</summary>
    public void AddModule(string prefix, string manifestJson, params (string Controller, string Source)[] controllers)
    {
        var dir = Path.Combine(ModulesPath, prefix);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), manifestJson);
        foreach (var (controller, source) in controllers) File.WriteAllText(Path.Combine(dir, controller + ".lua"), source);
        _runner = null;
    }

    /// <summary>
    /// Adds the module <paramref name="prefix"/> for a test that calls the broker in its name: the manifest gives ADMIN
    /// one action that does nothing (<c>ctl/run</c>) and these <paramref name="capabilities"/> (the manifest's
    /// <c>capabilities</c> object), from which the broker derives what the module may touch.
    /// </summary>
    public void AddCapabilityProbe(string prefix, string capabilities) =>
        AddModule(prefix, $$"""{ "title": "Capability probe", "roles": { "ADMIN": [ "ctl/run" ] }, "capabilities": {{capabilities}} }""",
            ("ctl", "local M = {} function M.run() return { type = 'text' } end return M"));

    /// <summary>Gives the test module <paramref name="prefix"/> the private libraries (<c>lib/</c>) of a real module.</summary>
    public void CopyLibrariesOf(string realModule, string prefix) =>
        CopyTree(Path.Combine(RepositoryRoot, "modules-lua", realModule, "lib"), Path.Combine(ModulesPath, prefix, "lib"));

    /// <summary>Installs a folder of the repository's modules-lua (such as the template) as the module <paramref name="prefix"/>,
    /// without its test data, as the app would load it.</summary>
    public void CopyModuleAs(string folder, string prefix)
    {
        CopyTree(Path.Combine(RepositoryRoot, "modules-lua", folder), Path.Combine(ModulesPath, prefix), skip: ModuleTestData);
        _runner = null;
    }

    /// <summary>Writes a file into the system root.</summary>
    public string WriteRootFile(string path, string text)
    {
        var host = Path.Combine(Root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllText(host, text);
        return host;
    }

    public string ReadRootFile(string path) => File.ReadAllText(Path.Combine(Root, path.TrimStart('/')));

    /// <summary>The files at <paramref name="paths"/> in the system root as they are now: a test's "before", to show
    /// later that an action wrote none of them (<see cref="KeptFiles.AssertUnchanged"/>).</summary>
    public KeptFiles Keep(params string[] paths) => new(this, paths);

    public ModuleRunner Runner => _runner ??= Build();

    public Task<RunResult> RunAsync(AcfPrincipal user, string module, string controller, string action,
        ModuleInput? input = null) => Runner.RunAsync(user, module, controller, action, input ?? ModuleInput.Empty);

    /// <summary>Runs the action, which must succeed (the failure names its error); answers its CFE.</summary>
    public async Task<CfeNode> RunOkAsync(AcfPrincipal user, string module, string controller, string action,
        ModuleInput? input = null)
    {
        var result = await RunAsync(user, module, controller, action, input);
        Assert.True(result.Status == RunStatus.Ok, result.Error);
        return result.Entity!;
    }

    /// <summary>
    /// The controller of a probe module: its action <c>run</c> is <paramref name="body"/>, which starts on line 3 (an
    /// error in the body's first line names <c>ctl.lua:3</c>), then <paramref name="actions"/>, more functions of M.
    /// </summary>
    public static string ProbeController(string body, string actions = "") => $$"""
        local M = {}
        function M.run(ctx, input)
        {{body}}
        end
        {{actions}}
        return M
        """;

    public static ModuleInput Submit(string button, params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => (IReadOnlyList<string>)[v.Value]), button);

    /// <summary>A submit where a name may carry several values (as the API posts a multi or a list).</summary>
    public static ModuleInput SubmitMany(string button, params (string Name, string[] Values)[] values) =>
        new(values.ToDictionary(v => v.Name, v => (IReadOnlyList<string>)v.Values), button);

    /// <summary>
    /// The runtime as the app registers it (<see cref="AcfModulesExtensions.AddAcfModules"/>), with this host's
    /// places, options objects (tests change them), clock, worker pool and executor put in first (the app's registration
    /// uses TryAdd). The host is not started: workers start on first use and no pending change is rolled back at start.
    /// </summary>
    private ModuleRunner Build()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["Acf:Broker:Process"] = "in-process"; // this host's own broker (a test double), no broker process
        var services = builder.Services;
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(Host);
        services.AddSingleton(Time);
        // Instances: the container does not dispose the shared pool (it would, as the executor made by the app's factory).
        services.AddSingleton(_workers);
        services.AddSingleton<IActionExecutor>(_executor ?? _workers);
        services.AddSingleton(Options.Create(Limits));
        services.AddSingleton(Options.Create(System));
        services.AddSingleton(Options.Create(Lbu));
        services.AddSingleton(Options.Create(Apply));
        if (WrapBroker is { } wrap)
            services.AddSingleton<ISystemBroker>(sp => wrap(ActivatorUtilities.CreateInstance<DemoSystemBroker>(sp)));
        builder.AddAcfModules();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        Catalog = provider.GetRequiredService<ModuleCatalog>();
        Broker = provider.GetRequiredService<ISystemBroker>();
        Guard = provider.GetRequiredService<ApplyGuard>();
        _access = provider.GetRequiredService<ModuleAccess>();
        return provider.GetRequiredService<ModuleRunner>();
    }

    /// <summary>Copies a tree over <paramref name="to"/> keeping symlinks as links (the demo's runlevels point at
    /// /etc/init.d, inside the root), leaving out the entries named in <paramref name="skip"/>; the one tree copy of the
    /// tests' roots.</summary>
    internal static void CopyTree(string from, string to, string[]? skip = null)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (skip?.Contains(entry.Name) == true) continue;
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                if (File.Exists(target) || Directory.Exists(target)) File.Delete(target);
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo dir) CopyTree(dir.FullName, target);
            else ((FileInfo)entry).CopyTo(target, overwrite: true);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Acf.sln"))) return dir.FullName;
        throw new InvalidOperationException("Acf.sln not found above the test output folder.");
    }

    public void Dispose()
    {
        // A pending change's countdown must not fire into the deleted root after the test (it would crash the run).
        foreach (var provider in _providers) provider.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Files of a test host's system root as they were when kept (<see cref="ModuleTestHost.Keep"/>).</summary>
public sealed class KeptFiles
{
    private readonly ModuleTestHost _host;
    private readonly string[] _paths;
    private readonly byte[][] _bytes;

    internal KeptFiles(ModuleTestHost host, string[] paths)
    {
        _host = host;
        _paths = paths;
        _bytes = [.. paths.Select(p => File.ReadAllBytes(host.RootPath(p)))];
    }

    /// <summary>Each file holds what it held when kept, byte for byte (compared as text first, for a readable diff).</summary>
    public void AssertUnchanged()
    {
        for (var i = 0; i < _paths.Length; i++)
        {
            var now = File.ReadAllBytes(_host.RootPath(_paths[i]));
            Assert.Equal(Encoding.UTF8.GetString(_bytes[i]), Encoding.UTF8.GetString(now));
            Assert.Equal(_bytes[i], now);
        }
    }

    /// <summary>A save refused on <paramref name="field"/>, whose error text holds <paramref name="message"/>, and
    /// nothing written: the steps every refused-value test checks.</summary>
    public void AssertRefusedOn(CfeNode result, string field, string message)
    {
        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Find(field)!.Errtxt);
        AssertUnchanged();
    }

    /// <summary>A save refused as a whole, whose error text holds <paramref name="message"/> (a file changed since it
    /// was read, a validator's complaint), and nothing written.</summary>
    public void AssertRefused(CfeNode result, string message)
    {
        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Errtxt);
        AssertUnchanged();
    }

    /// <summary>A save with nothing to change: it succeeds, says so, and writes nothing.</summary>
    public void AssertNothingChanged(CfeNode result)
    {
        Assert.True(result.Succeeded, FormPost.Errors(result));
        Assert.Equal("Nothing changed.", result.Descr);
        AssertUnchanged();
    }
}
