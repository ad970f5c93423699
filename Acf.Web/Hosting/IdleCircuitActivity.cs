using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Acf.Web.Hosting;

/// <summary>
/// Counts every event a circuit receives (clicks, typing, navigation) as activity for the app's
/// <see cref="IdleMemoryTrim"/>, and a circuit's end too: a tab that vanished without a word is dropped
/// <c>Acf:Web:DisconnectedCircuitSeconds</c> after the last request, by then the quiet period after that request may
/// have trimmed already, and the memory the circuit frees would stay until the next burst (the bench: 60 s after its
/// load, 4.4x idle with every circuit gone).
/// </summary>
internal sealed class IdleCircuitActivity(IdleMemoryTrim trim) : CircuitHandler
{
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        trim.Touch();
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            trim.Touch();
            return next(context);
        };
}
