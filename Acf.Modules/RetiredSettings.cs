using Microsoft.Extensions.Configuration;

namespace Acf.Modules;

/// <summary>
/// Keys Acf once read and reads no more. The options binder passes over a key it does not know, so an admin whose file
/// still sets one would never learn that it does nothing: each one set is named in the log at start, with what holds
/// instead. Not a start-up error: an appliance updated with an old file still comes up, and runs as the log says.
/// </summary>
internal sealed class RetiredSettings(IConfiguration configuration, ILogger<RetiredSettings> logger) : IHostedService
{
    /// <summary>The retired keys and what holds instead of each.</summary>
    public static readonly IReadOnlyList<(string Key, string Instead)> Keys =
    [
        ("Acf:Modules:Isolation", "module code always runs in worker processes (Acf:Modules:Workers); "
            + "there is no in-process thread to choose any more"),
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, instead) in Keys)
            if (configuration[key] is { } value)
                logger.LogWarning("{Key} = {Value} is no longer read: {Instead}. Remove it from the configuration.", key, value, instead);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
