namespace Acf.Tests.Broker;

/// <summary>
/// The host's files watched in the broker (<see cref="WatchHostFilesRequest"/>, <see cref="HostStampWatch"/>): with a
/// broker process the stamps are kept between requests, and a change on the box or a save through the app ends them.
/// The broker here is the real one, in this process, behind a front that watches as the broker process's client does.
/// </summary>
public sealed class HostStampWatchTests : IDisposable
{
    private static readonly TimeSpan Inotify = TimeSpan.FromSeconds(10); // the broker hears of a change long before
    private static readonly BrokerCaller Host = new("acf", "acf");
    private readonly ModuleTestHost _host = new();
    private readonly BrokerSpy _spy = new();
    private readonly WatchingFront _broker;

    public HostStampWatchTests()
    {
        _host.WriteRootFile("/etc/acf/passwd", "root:x\n");
        _host.WriteRootFile("/etc/acf/roles", "OPS:a/b/c\n");
        _broker = new WatchingFront(_spy.Around(_host.ReadyBroker));
    }

    public void Dispose()
    {
        _broker.HostFiles.Dispose();
        _broker.WatchAnswers.Set();
        _host.Dispose();
    }

    [Fact]
    public void WhileNothingChanges_TheStampsAreKeptBetweenRequests_AChangeOnTheBoxEndsThem()
    {
        var passwd = new HostFile<string>(_broker, "/etc/acf/passwd", text => text);
        using (HostFileStamps.Begin()) passwd.Load(); // starts the watch
        Assert.True(SpinWait.SpinUntil(() => _broker.HostFiles.Live, Inotify), "the watch came up");
        using (HostFileStamps.Begin()) passwd.Load(); // stamps taken with the watch in place: kept
        var asked = _spy.Count<StatFilesRequest>();

        for (var request = 0; request < 3; request++)
            using (HostFileStamps.Begin()) Assert.Equal("root:x\n", passwd.Load().Value);
        Assert.Equal(asked, _spy.Count<StatFilesRequest>());

        var moves = _broker.HostFiles.Moves;
        _host.WriteRootFile("/etc/acf/passwd", "root:x:locked\n"); // on the box itself, not through the broker
        Assert.True(SpinWait.SpinUntil(() => _broker.HostFiles.Moves != moves, Inotify), "the broker told of the change");

        using (HostFileStamps.Begin()) Assert.Equal("root:x:locked\n", passwd.Load().Value);
        Assert.Equal(asked + 1, _spy.Count<StatFilesRequest>());
    }

    [Fact]
    public void ASaveThroughTheApp_EndsTheKeptStampsAtOnce_ForEveryReaderOfTheFile()
    {
        var writer = new HostFile<string>(_broker, "/etc/acf/passwd", text => text);
        var reader = new HostFile<string>(_broker, "/etc/acf/passwd", text => text); // another store of the same file
        using (HostFileStamps.Begin()) reader.Load();
        Assert.True(SpinWait.SpinUntil(() => _broker.HostFiles.Live, Inotify), "the watch came up");
        using (HostFileStamps.Begin()) reader.Load();
        var moves = _broker.HostFiles.Moves;
        _broker.WatchAnswers.Reset(); // what inotify tells the broker now reaches the app only after the asserts

        var (tag, _) = writer.Load();
        Assert.Null(writer.Save("root:y\n", tag, "root"));

        Assert.NotEqual(moves, _broker.HostFiles.Moves);
        using (HostFileStamps.Begin()) Assert.Equal("root:y\n", reader.Load().Value);
        _broker.WatchAnswers.Set();
    }

    [Fact]
    public async Task Watch_AnswersAtOnceAtFirst_ThenWhenAWatchedFileChanges_NotForOtherFiles()
    {
        var changes = new HostFileChanges();
        var passwd = _host.RootPath("/etc/acf/passwd");

        var first = changes.Wait([passwd], -1, TimeSpan.FromSeconds(30));
        _host.WriteRootFile("/etc/acf/unwatched", "x\n");
        Assert.Equal(first, changes.Wait([passwd], first, TimeSpan.FromMilliseconds(300)));

        var waiting = Task.Run(() => changes.Wait([passwd], first, TimeSpan.FromSeconds(30)));
        _host.WriteRootFile("/etc/acf/passwd", "root:z\n");
        Assert.True(await waiting.WaitAsync(Inotify) > first);
    }

    [Fact]
    public void WatchHostFiles_OnlyForTheHost_AndOnlyPathsItMayRead()
    {
        Assert.True(_host.ReadyBroker.Send(Host, new WatchHostFilesRequest(["/etc/acf/passwd"], -1)).Ok);

        Assert.Equal(BrokerErrorKind.Denied,
            _host.ReadyBroker.Send(new BrokerCaller("root", "squid"), new WatchHostFilesRequest(["/etc/acf/passwd"], -1)).Error?.Kind);
        Assert.Equal(_host.ReadyBroker.Send(Host, new StatRequest("/etc/shadow")).Error,
            _host.ReadyBroker.Send(Host, new WatchHostFilesRequest(["/etc/shadow"], -1)).Error);
        Assert.False(_host.ReadyBroker.Send(Host, new WatchHostFilesRequest([], -1)).Ok);
    }

    /// <summary>A broker that watches the host's files as <c>BrokerClient</c> does, in front of the real one.</summary>
    private sealed class WatchingFront : ISystemBroker, IWatchesHostFiles
    {
        private readonly ISystemBroker _inner;

        public WatchingFront(ISystemBroker inner)
        {
            _inner = inner;
            HostFiles = new HostStampWatch(this);
        }

        public HostStampWatch HostFiles { get; }

        public HostInfo Info => _inner.Info;

        /// <summary>Reset: the broker's answers to the watch are held back until it is set again.</summary>
        public ManualResetEventSlim WatchAnswers { get; } = new(true);

        public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
        {
            var answer = _inner.Send(caller, request, output);
            if (request is WatchHostFilesRequest) WatchAnswers.Wait();
            return answer;
        }
    }
}
