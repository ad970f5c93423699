using Microsoft.Extensions.Logging;

namespace Acf.Web.Components.Pages;

/// <summary>
/// The work a page starts on its own rather than in a lifecycle method or a click Blazor awaits: a reload after an
/// event (a location change, a rolled-back change), a refresh loop, a repaint asked from another thread. An event
/// handler cannot await it, so this owns it: each piece runs on the circuit's dispatcher (<c>dispatch</c>, the
/// component's <c>InvokeAsync</c>) with the page's <see cref="Closed"/> token; a failure is logged and handed to
/// <c>failed</c> (the page shows it as its error), never lost; once the page is closed nothing new starts and what
/// runs is cancelled.
/// </summary>
public sealed class PageWork(Func<Func<Task>, Task> dispatch, Action<Exception> failed, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    /// <summary>
    /// Cancelled when the page closes, so a read still waiting for one of the user's places leaves the queue instead
    /// of running for a tab nobody looks at (issue 19). Never disposed: a load still in flight reads it.
    /// </summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>
    /// Starts <paramref name="work"/> on the dispatcher unless the page is closed; see the class. The task it returns
    /// ends with the work and never fails: an event handler, which cannot await, may leave it, and nothing is lost.
    /// </summary>
    public Task Start(Func<CancellationToken, Task> work) => IsClosed ? Task.CompletedTask : RunAsync(work, Closed);

    private async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken closed)
    {
        try
        {
            await dispatch(() => closed.IsCancellationRequested ? Task.CompletedTask : work(closed));
        }
        catch (OperationCanceledException) when (closed.IsCancellationRequested)
        {
            // the page closed
        }
        catch (Exception e)
        {
            logger.LogError(e, "A page's own work failed");
            if (closed.IsCancellationRequested) return;
            try
            {
                await dispatch(() =>
                {
                    if (!closed.IsCancellationRequested) failed(e);
                    return Task.CompletedTask;
                });
            }
            catch (Exception again)
            {
                logger.LogError(again, "A page could not show its own work's failure");
            }
        }
    }

    /// <summary>The page closes: cancels what runs; <see cref="Start"/> starts nothing from now on.</summary>
    public void Dispose() => _closed.Cancel();
}
