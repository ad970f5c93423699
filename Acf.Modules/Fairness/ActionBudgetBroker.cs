namespace Acf.Modules.Fairness;

/// <summary>
/// The broker as one action sees it, with the action's whole budget (<c>Acf:Modules:ActionTimeSeconds</c>) counted:
/// the worker's wall time counts only Lua's turns, so without this an action that calls slow commands or validators
/// one after another could hold its worker for ever. A command that names its timeout is given at most the time left, and once the budget
/// is spent every further call is refused at once (the module sees the error; a module that loops on refusals then
/// spends its own wall time).
/// </summary>
internal sealed class ActionBudgetBroker(ISystemBroker inner, TimeSpan budget) : ISystemBroker
{
    // From the action's first call: waiting for a free worker is not the action's time.
    private readonly Stopwatch _elapsed = new();

    public HostInfo Info => inner.Info;

    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
    {
        if (!_elapsed.IsRunning) _elapsed.Start();
        var left = budget - _elapsed.Elapsed;
        if (left <= TimeSpan.Zero)
            return BrokerResult<T>.Fail(BrokerErrorKind.Busy,
                $"The action's time budget of {budget.TotalSeconds:0} s (its broker calls included) is used up; nothing more was run.");
        // A command that asks for longer than is left gets what is left (one without a timeout keeps the broker's default).
        if (request is ExecRequest { TimeoutSeconds: { } asked } exec && asked > left.TotalSeconds)
            return (BrokerResult<T>)(object)inner.Send(caller, exec with { TimeoutSeconds = (int)Math.Max(1, Math.Ceiling(left.TotalSeconds)) }, output);
        return inner.Send(caller, request, output);
    }
}
