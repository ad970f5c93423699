using Acf.Modules.Privsep;

namespace Acf.Modules;

/// <summary>
/// The executable's two other modes, beside the web app: a module worker (<c>--acf-worker</c>, started by the app's
/// worker pool) and the broker (<c>--acf-broker</c>, with <c>Acf:Broker:Process = separate</c>: started by the app as
/// its child, or by OpenRC's <c>acf-broker</c>). Program.cs hands over here in its first line, so the app's host
/// (and its pages) never names what these processes are made of: those parts are internal to Acf.Modules and
/// Acf.Broker.
/// </summary>
public static class ProcessModes
{
    /// <summary>
    /// Runs the worker or the broker when <paramref name="args"/> ask for one and then ends the process; returns at once
    /// for the web app.
    /// </summary>
    /// <remarks>The broker reads the app's own configuration sources (<see cref="AcfConfiguration"/>: the repository's
    /// defaults, <c>/etc/acf/appsettings.json</c>), so both processes read the same settings. A worker reads none.</remarks>
    public static void RunIfWorkerOrBroker(string[] args)
    {
        ModuleWorker.RunIfWorker(args); // a worker serves its pipe; it reads no configuration and builds no host
        if (args.Length == 0 || args[0] != BrokerChild.Argument) return;
        var rest = args.Skip(1).ToList();
        if (rest.Remove(BrokerChild.ChildArgument)) ParentWatch.Start(); // started by the app: it ends when the app does
        var builder = Host.CreateApplicationBuilder([.. rest]);
        builder.AddAcfConfiguration();
        builder.AddAcfBrokerProcess();
        builder.Build().Run();
        Environment.Exit(0);
    }
}
