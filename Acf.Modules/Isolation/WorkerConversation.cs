using Acf.Modules.Lua.Host;

namespace Acf.Modules.Isolation;

/// <summary>How one action in a worker ended; <paramref name="Healthy"/> is false when the worker must be replaced.</summary>
internal sealed record WorkerAnswer(SandboxOutcome Outcome, bool Healthy);

/// <summary>
/// The app's side of one action in a worker, over the worker's two pipes: sends the <c>run</c>, answers each
/// <c>call</c> through <see cref="BrokerDispatch"/>, writes <c>log</c> lines, and returns the <c>done</c> outcome.
/// The wall-time budget counts only the worker's turns (not the broker's work, such as a long apk run); when it is
/// used up, <paramref name="kill"/> ends the worker, whatever C function it is stuck in.
/// </summary>
internal sealed class WorkerConversation(Stream fromWorker, Stream toWorker, ILogger logger)
{
    private const int MaxLogLines = 1100; // the sandbox itself stops at 1000 module lines; the rest are its own warnings
    private const int MaxLogChars = 4000;

    /// <summary>The library texts this worker was sent, and the times its own copy was current.</summary>
    public LibraryTransfers Libraries { get; } = new();

    public async Task<WorkerAnswer> RunAsync(WorkerRun run, BrokerCallContext context, TimeSpan budget, Action kill)
    {
        var remaining = budget;
        var overran = 0;
        var turn = new Stopwatch();
        using var timer = new Timer(_ =>
        {
            if (Interlocked.Exchange(ref overran, 1) == 0) kill();
        });
        void StartTurn()
        {
            turn.Restart();
            timer.Change(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, Timeout.InfiniteTimeSpan);
        }
        void EndTurn()
        {
            timer.Change(Timeout.Infinite, Timeout.Infinite);
            remaining -= turn.Elapsed;
        }
        WorkerAnswer Overrun() => new(new SandboxOutcome(null,
            $"stopped: the time limit of {run.Limits.WallTimeSeconds} s was exceeded inside a library call; its worker process was stopped"), false);

        var logLines = 0;
        try
        {
            await SendAsync(WorkerFrame.Run, run);
            StartTurn();
            while (true)
            {
                using var frame = await WorkerFrame.ReadAsync(fromWorker);
                EndTurn();
                if (Volatile.Read(ref overran) == 1) return Overrun();
                if (frame is null) return Broken(run, "the module worker ended unexpectedly");
                switch (frame.Kind)
                {
                    case WorkerFrame.Call:
                        var reply = BrokerDispatch.Answer(context, frame);
                        Libraries.Count(reply);
                        await SendAsync(WorkerFrame.Reply, reply);
                        break;
                    case WorkerFrame.Log:
                        var line = frame.Read<WorkerLogLine>();
                        if (++logLines <= MaxLogLines)
                            logger.Log(line.Level > LogLevel.Warning ? LogLevel.Warning : line.Level, "{Message}",
                                line.Message.Length > MaxLogChars ? line.Message[..MaxLogChars] : line.Message);
                        break;
                    case WorkerFrame.Step:
                        context.Progress?.Invoke(SandboxFunctions.StepText(frame.Read<WorkerStep>().Text));
                        break;
                    case WorkerFrame.Done:
                        return new WorkerAnswer(frame.Read<SandboxOutcome>(), true);
                    default:
                        throw new WorkerProtocolException($"A worker may not send {WorkerFrame.Printable(frame.Kind)} during an action.");
                }
                StartTurn();
            }
        }
        catch (WorkerProtocolException e)
        {
            // A worker that breaks the protocol runs code we did not write: it is stopped, never reused.
            logger.LogCritical("The worker running {Module}/{Controller}/{Action} for {User} broke the protocol and is stopped: {Error}",
                run.Module, run.Controller, run.Action, run.User.Name, e.Message);
            kill();
            return new WorkerAnswer(new SandboxOutcome(null, "the module worker broke the protocol and was stopped"), false);
        }
        catch (IOException e)
        {
            if (Volatile.Read(ref overran) == 1) return Overrun();
            return Broken(run, "the module worker ended unexpectedly: " + e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the worker is in an unknown state: it is stopped and the action fails plainly.
            logger.LogError(e, "The conversation with the worker running {Module}/{Controller}/{Action} failed", run.Module, run.Controller, run.Action);
            kill();
            return new WorkerAnswer(new SandboxOutcome(null, "the module worker failed: " + e.Message), false);
        }
    }

    private WorkerAnswer Broken(WorkerRun run, string message)
    {
        logger.LogError("{Module}/{Controller}/{Action} for {User}: {Error}", run.Module, run.Controller, run.Action, run.User.Name, message);
        return new WorkerAnswer(new SandboxOutcome(null, message), false);
    }

    private async Task SendAsync(string kind, object? body)
    {
        await toWorker.WriteAsync(WorkerFrame.Encode(kind, null, body));
        await toWorker.FlushAsync();
    }
}
