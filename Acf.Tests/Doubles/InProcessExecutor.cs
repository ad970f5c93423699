using Acf.Broker.Catalog;
using Acf.Modules;
using Acf.Modules.Isolation;
using Acf.Modules.Lua;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acf.Tests.Doubles;

/// <summary>
/// A test double of the worker pool: runs each action on a dedicated thread of this process instead of a worker
/// process, for tests and measurements that want the runner and the sandbox without a process per worker. No product
/// configuration can choose it (the app's one executor is <see cref="ModuleWorkerPool"/>); a test registers it as the
/// <see cref="IActionExecutor"/> before <c>AddAcfModules</c>. The sandbox gets what a worker's gets (the run's
/// limits, the runner's broker context), so the broker checks the same caller. Acf.Bench compiles this file too (its
/// in-process timings); it lives here because only tests and the bench may use it.
/// </summary>
internal sealed class InProcessExecutor(ILogger? logger = null) : IActionExecutor
{
    /// <summary>Lua needs a deep native stack; a blocked thread-pool thread would starve the web server.</summary>
    private const int SandboxStackBytes = 16 << 20;

    private readonly SemaphoreSlim _slots = new(Math.Max(2, Environment.ProcessorCount));
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>A thread starts per action: nothing to start ahead.</summary>
    public void Warm()
    {
    }

    /// <summary>
    /// Runs the sandbox on a dedicated thread. The hook stops Lua code at the limits; the watchdog covers code stuck
    /// inside one C call, where no hook fires: it answers with an error and leaves that thread to finish and dispose
    /// its state. The thread holds its slot until it really ends, so stuck threads can never outnumber the slots.
    /// </summary>
    public async Task<SandboxOutcome> RunAsync(WorkerRun run, BrokerCallContext context, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken);
        // As a worker builds it: only the module's prefix of its manifest is needed to run it.
        var request = new SandboxRequest(new ModuleManifest { Prefix = run.Module, Title = run.Module }, run.Controller, run.Action,
            run.User, run.Source, run.Input, context.Output, context.Progress);
        var done = new TaskCompletionSource<SandboxOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var sandbox = new LuaSandbox(run.Limits); // a new state per action (the workers keep some: LuaStatePool)
                done.TrySetResult(sandbox.Run(request, context.Broker, context.Libraries, run.Limits, _logger));
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The sandbox for {Module} failed", run.Module);
                done.TrySetResult(new SandboxOutcome(null, "the module could not be run: " + e.Message));
            }
            finally
            {
                _slots.Release();
            }
        }, SandboxStackBytes)
        { IsBackground = true, Name = $"lua {run.Module}/{run.Controller}/{run.Action}" };
        thread.Start();

        try
        {
            return await done.Task.WaitAsync(TimeSpan.FromSeconds(run.Limits.WallTimeSeconds + 5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            _logger.LogCritical("{Module}/{Controller}/{Action} is stuck inside a library call; its thread is abandoned",
                run.Module, run.Controller, run.Action);
            return new SandboxOutcome(null, $"stopped: the time limit of {run.Limits.WallTimeSeconds} s was exceeded inside a library call");
        }
    }
}
