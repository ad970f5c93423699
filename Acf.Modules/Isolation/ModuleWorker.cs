using System.Runtime.InteropServices;
using System.Text;
using Acf.Modules.Privsep;

namespace Acf.Modules.Isolation;

/// <summary>
/// The worker process: the app's own executable started with <see cref="Argument"/>, before any web host exists
/// (Program.cs hands over in its first line). It drops to the configured user, forbids itself new privileges, says
/// <c>ready</c>, and then runs one action per <c>run</c> frame in a fresh environment of a <see cref="LuaSandbox"/>
/// (a state it keeps for that module and user, <see cref="LuaStatePool"/>, or a new one), reaching the machine only
/// through <see cref="WorkerBroker"/>. It reads no configuration and opens no file of its own; when the app goes away
/// (the pipe closes, or the parent changes) it ends.
/// </summary>
internal static class ModuleWorker
{
    /// <summary>The first argument that makes the executable a worker.</summary>
    public const string Argument = "--acf-worker";

    private const int SandboxStackBytes = 16 << 20; // Lua needs a deep native stack (the tests' in-process executor gives the same)
    private const int PrSetNoNewPrivs = 38;

    /// <summary>True when the process was started as a module worker.</summary>
    public static bool IsWorker(string[] args) => args.Length > 0 && args[0] == Argument;

    /// <summary>
    /// Runs the worker when <paramref name="args"/> ask for it and then ends the process with its exit code; returns
    /// at once otherwise. Program.cs calls this first, so a worker never builds the web host.
    /// </summary>
    public static void RunIfWorker(string[] args)
    {
        if (IsWorker(args)) Environment.Exit(Run(args));
    }

    /// <summary>The worker's main loop; the exit code is 0 when the app closed the pipe.</summary>
    public static int Run(string[] args)
    {
        if (DropPrivileges(args) is { } refusal)
        {
            Console.Error.WriteLine("acf worker: " + refusal);
            return 2;
        }
        var fromApp = Console.OpenStandardInput();
        var toApp = Console.OpenStandardOutput();
        Console.SetOut(Console.Error); // a stray Console.Write must never corrupt the protocol on stdout
        ParentWatch.Start(); // a worker stuck inside a C call does not read its pipe; it still ends when the app is gone
        var code = 0;
        var thread = new Thread(() => code = Serve(new WorkerPipe(fromApp, toApp)), SandboxStackBytes) { Name = "acf worker" };
        thread.Start();
        thread.Join();
        return code;
    }

    /// <summary>The libraries this worker was sent, kept across its actions (one action runs at a time).</summary>
    private static readonly WorkerLibraries Libraries = new();

    /// <summary>The Lua states this worker keeps between actions of the same module and user.</summary>
    private static readonly LuaStatePool States = new();

    private static int Serve(WorkerPipe pipe)
    {
        try
        {
            WarmUp();
            pipe.Send(WorkerFrame.Ready, null, null);
            while (true)
            {
                using var frame = pipe.Receive();
                if (frame is null) return 0;
                if (frame.Kind != WorkerFrame.Run) throw new WorkerProtocolException($"Expected run, got {frame.Kind}.");
                var run = frame.Read<WorkerRun>();
                var domain = LuaStatePool.DomainOf(run.Module, run.User, run.Host);
                var (outcome, state) = RunOne(run, domain, pipe, States.Take);
                pipe.Send(WorkerFrame.Done, null, outcome);
                if (state is not null) States.Return(domain, state); // its collection is off the answer's path
            }
        }
        catch (Exception e) when (e is IOException or WorkerProtocolException)
        {
            Console.Error.WriteLine("acf worker: " + e.Message);
            return 3;
        }
    }

    /// <summary>
    /// One action in a fresh environment of the state <paramref name="take"/> gives for <paramref name="domain"/>,
    /// computed once by the caller, which gives the state back under the same domain; only the module's prefix of its
    /// manifest is needed in here. Answers the outcome and the state, to be given back, or null when it was closed
    /// (the action failed, or the state could not be made).
    /// </summary>
    internal static (SandboxOutcome Outcome, LuaSandbox? State) RunOne(WorkerRun run, string domain, WorkerPipe pipe,
        Func<string, ModulesOptions, LuaSandbox> take)
    {
        var broker = new WorkerBroker(pipe, run.Host, Libraries);
        var request = new SandboxRequest(new ModuleManifest { Prefix = run.Module, Title = run.Module }, run.Controller,
            run.Action, run.User, run.Source, run.Input, Progress: text => pipe.Send(WorkerFrame.Step, null, new WorkerStep(text)));
        LuaSandbox? state = null;
        try
        {
            state = take(domain, run.Limits);
            var outcome = state.Run(request, broker, broker, run.Limits, new WorkerLogger(pipe));
            if (!state.Spoiled) return (outcome, state);
            state.Dispose();
            return (outcome, null);
        }
        catch (Exception e)
        {
            state?.Dispose();
            if (e is IOException or WorkerProtocolException) throw;
            return (new SandboxOutcome(null, "the module could not be run: " + e.Message), null);
        }
    }

    /// <summary>
    /// Compiles the paths of a first action (a Lua state, a CFE read, the frames) before the worker says ready, so
    /// the first user it serves does not pay for the JIT.
    /// </summary>
    private static void WarmUp()
    {
        var source = "local M = {} function M.run(ctx, input) return { type = 'form', value = { a = { type = 'text', value = ctx.module } } } end return M"u8.ToArray();
        var run = new WorkerRun("warm-up", "warm", "run", new AcfPrincipal("warm-up", []), source, ModuleInput.Empty,
            new ModulesOptions(), new HostInfo(HostMode.Demo, "/"));
        using var frame = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Run, null, run)))!;
        var idle = new WorkerPipe(Stream.Null, Stream.Null);
        var warmRun = frame.Read<WorkerRun>();
        var domain = LuaStatePool.DomainOf(warmRun.Module, warmRun.User, warmRun.Host);
        var (outcome, state) = RunOne(warmRun, domain, idle, States.Take);
        // The path of a kept state compiled too, then closed: no user's action gets the warm-up's state.
        if (state is not null) States.Return(domain, state);
        States.Clear();
        using var done = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Done, null, outcome)))!;
        done.Read<SandboxOutcome>();
        using var reply = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Reply, null,
            BrokerResult<FileContent>.Success(new FileContent("/x", Encoding.UTF8.GetBytes("x"), "t")))))!;
        reply.Read<BrokerResult<FileContent>>();
    }

    /// <summary>
    /// <c>--uid N --gid N</c>: become that user (groups first, then gid, then uid, and check it held), and in every
    /// case set no_new_privs, so that nothing the worker could ever execute gains privileges through setuid bits.
    /// </summary>
    private static string? DropPrivileges(string[] args)
    {
        uint? uid = null, gid = null;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!uint.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return $"'{args[i + 1]}' is not an id";
            if (args[i] == "--uid") uid = id;
            else if (args[i] == "--gid") gid = id;
            else return $"unknown argument {args[i]}";
        }
        if (uid is { } u && ProcessUser.Become(u, gid ?? u) is { } failed) return failed;
        if (prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0) return $"cannot set no_new_privs (errno {Marshal.GetLastPInvokeError()})";
        return null;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
