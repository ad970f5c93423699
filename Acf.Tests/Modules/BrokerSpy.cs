namespace Acf.Tests.Modules;

/// <summary>
/// Notes what passes between the code under test and a real broker: every request as it arrives, and once the broker
/// has answered, its answer and the output lines it printed. <see cref="Around"/> puts the spy in front of a broker
/// (directly, or as a <see cref="ModuleTestHost.WrapBroker"/>); each broker it is put in front of adds to the same notes.
/// <paramref name="describe"/>, where given, writes each answer as text the moment it comes (<see cref="Exchange.Text"/>),
/// so that nothing done to the answer's value afterwards changes what the test reads.
/// </summary>
internal sealed class BrokerSpy(Func<BrokerSpy.Exchange, string>? describe = null)
{
    private readonly Func<Exchange, string>? _describe = describe;
    private readonly List<object> _requests = [];
    private readonly List<Exchange> _answered = [];

    /// <summary>One answered request: the value or the error the broker gave, the lines it printed on the way (none
    /// unless the caller asked for them), and the answer as the spy's <c>describe</c> wrote it (null without one).</summary>
    public sealed record Exchange(object Request, object? Value, BrokerError? Error, IReadOnlyList<string> Output)
    {
        public string? Text { get; init; }
    }

    /// <summary>Every request that reached the broker, in the order they came.</summary>
    public IReadOnlyList<object> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Every request the broker has answered, with its answer, in the order they were answered.</summary>
    public IReadOnlyList<Exchange> Answered
    {
        get { lock (_answered) return [.. _answered]; }
    }

    /// <summary>How many requests of exactly the type <typeparamref name="T"/> reached the broker.</summary>
    public int Count<T>() => Requests.Count(r => r.GetType() == typeof(T));

    public ISystemBroker Around(ISystemBroker inner) => new Front(this, inner);

    private sealed class Front(BrokerSpy spy, ISystemBroker inner) : ISystemBroker
    {
        public HostInfo Info => inner.Info;

        public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
        {
            lock (spy._requests) spy._requests.Add(request);
            var lines = new List<string>();
            var result = inner.Send(caller, request, output is null ? null : line =>
            {
                lines.Add(line);
                output(line);
            });
            var answer = new Exchange(request, result.Value, result.Error, lines);
            if (spy._describe is { } text) answer = answer with { Text = text(answer) };
            lock (spy._answered) spy._answered.Add(answer);
            return result;
        }
    }
}
