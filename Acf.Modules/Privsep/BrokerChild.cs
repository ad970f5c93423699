using Microsoft.Extensions.Configuration;

namespace Acf.Modules.Privsep;

/// <summary>
/// The broker started by the app itself (<c>Acf:Broker:StartChild</c>, the demo host's one command): the same
/// executable with <see cref="Argument"/>, given the app's broker settings on its command line (none is a secret:
/// the places, the tools' limits), and <see cref="ChildArgument"/> so that it ends when the app does, however the
/// app ends. Disposing kills it.
/// </summary>
internal sealed class BrokerChild : IDisposable
{
    /// <summary>The first argument that makes the executable the broker.</summary>
    public const string Argument = "--acf-broker";

    /// <summary>The broker's second argument when the app started it: it watches its parent and ends with it.</summary>
    public const string ChildArgument = "--child";

    /// <summary>The settings the broker process reads; the app's own (login, HTTPS, the bootstrap password) stay in the app.</summary>
    private static readonly string[] BrokerSections = ["Acf:System", "Acf:Data", "Acf:Exec", "Acf:Lbu", "Acf:Modules", "Acf:Broker"];

    private readonly Process _process;

    private BrokerChild(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Why the child will never answer (it exited), or null while it runs.</summary>
    public string? Gone() => _process.HasExited ? $"the broker process exited with code {_process.ExitCode}" : null;

    /// <summary>Starts the broker for <paramref name="host"/> (its places as the app resolved them) on <paramref name="socketPath"/>;
    /// the executable is this process's own, or the one in <paramref name="executableFolder"/> (tests).
    /// <paramref name="peerUser"/>: the user it serves instead of <c>Acf:Broker:PeerUser</c> (an app that drops to
    /// <c>Acf:Web:User</c> after starting it).</summary>
    public static BrokerChild Start(IConfiguration configuration, SystemHost host, string contentRoot, string socketPath,
        string? executableFolder = null, string? peerUser = null)
    {
        var launch = WorkerLaunch.Self(Argument, executableFolder);
        var info = new ProcessStartInfo(launch.FileName) { UseShellExecute = false, WorkingDirectory = contentRoot };
        foreach (var argument in launch.Arguments) info.ArgumentList.Add(argument);
        info.ArgumentList.Add(ChildArgument);
        info.ArgumentList.Add("--contentRoot=" + contentRoot);
        var settings = BrokerSections.SelectMany(s => configuration.GetSection(s).AsEnumerable())
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.OrdinalIgnoreCase);
        settings["Acf:System:Mode"] = host.IsDemo ? "demo" : "alpine";
        settings["Acf:System:Root"] = host.Root;
        settings["Acf:Data:Path"] = host.DataPath;
        settings["Acf:Modules:Path"] = host.ModulesPath;
        settings["Acf:Broker:Socket"] = socketPath;
        if (peerUser is not null) settings["Acf:Broker:PeerUser"] = peerUser;
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        return new BrokerChild(Process.Start(info) ?? throw new InvalidOperationException("The broker process did not start."));
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited: the broker ends by itself when the app's connections close, which disposing it just did
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The app dropped to Acf:Web:User and may not signal its root child: the child ends when the app does
            // (ParentWatch), so there is nothing to wait for here.
            _process.Dispose();
            return;
        }
        try
        {
            // Reaps it either way: a child that ended by itself stays a zombie (its /proc entry still there) until then.
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // no process was ever associated
        }
        _process.Dispose();
    }
}
