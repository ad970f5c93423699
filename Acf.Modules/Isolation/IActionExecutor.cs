namespace Acf.Modules.Isolation;

/// <summary>
/// Where <see cref="ModuleRunner"/> has module code run, once it has checked and admitted an action: the one product
/// executor is the worker pool (<see cref="ModuleWorkerPool"/>, registered by <c>AddAcfModules</c>). The executor is
/// handed what a worker is handed (<see cref="WorkerRun"/>: the source, the input, only the limits) and the app's side
/// of the action's broker calls (<see cref="BrokerCallContext"/>: the caller fixed by the runner, journalling under
/// confirm-or-rollback); it answers with the outcome, or an error once the wall time is past. Tests may register
/// another (the in-process thread of <c>Acf.Tests/Doubles</c>); the configuration cannot.
/// </summary>
internal interface IActionExecutor
{
    /// <summary>Runs one action; waits while every place to run one is taken.</summary>
    Task<SandboxOutcome> RunAsync(WorkerRun run, BrokerCallContext context, CancellationToken cancellationToken = default);

    /// <summary>Gets ready for an action ahead of need (a worker started), so the next one does not wait for it.</summary>
    void Warm();
}
