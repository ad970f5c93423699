namespace Acf.Tests.Broker;

/// <summary>
/// The host's own files stat'ed once per API request (<see cref="HostFileStamps"/>): one broker call for all of them
/// in a scope, and nothing kept past it, so a change made before the next request is seen by it.
/// </summary>
public sealed class HostFileStampsTests : IDisposable
{
    private readonly ModuleTestHost _host = new();
    private readonly BrokerSpy _spy = new();
    private readonly HostFile<string> _passwd;
    private readonly HostFile<string> _roles;
    private readonly HostFile<string> _tokens;

    public HostFileStampsTests()
    {
        _host.WriteRootFile("/etc/acf/passwd", "root:x\n");
        _host.WriteRootFile("/etc/acf/roles", "OPS:a/b/c\n");
        var broker = _spy.Around(_host.ReadyBroker);
        _passwd = new HostFile<string>(broker, "/etc/acf/passwd", text => text);
        _roles = new HostFile<string>(broker, "/etc/acf/roles", text => text);
        _tokens = new HostFile<string>(broker, "/etc/acf/api-tokens", text => text);
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public void InAScope_EveryHostFileStatedInOneCall_ThenFromTheScope()
    {
        using (HostFileStamps.Begin())
        {
            Assert.Equal("root:x\n", _passwd.Load().Value);
            Assert.Equal("OPS:a/b/c\n", _roles.Load().Value);
            Assert.Equal(FileTags.Absent, _tokens.Load().Tag);
            Assert.Equal("root:x\n", _passwd.Load().Value);
        }

        Assert.Equal(1, _spy.Count<StatFilesRequest>());
        Assert.Equal(0, _spy.Count<StatRequest>());
        Assert.Equal(2, _spy.Count<ReadFileRequest>());
    }

    [Fact]
    public void OutsideAScope_EachLoadStatsItsFile()
    {
        _passwd.Load();
        _passwd.Load();
        _roles.Load();

        Assert.Equal(0, _spy.Count<StatFilesRequest>());
        Assert.Equal(3, _spy.Count<StatRequest>());
    }

    [Fact]
    public void AChangeBetweenTwoScopes_TheNextScopeSeesIt()
    {
        using (HostFileStamps.Begin()) Assert.Equal("root:x\n", _passwd.Load().Value);

        _host.WriteRootFile("/etc/acf/passwd", "root:x:locked\n");

        using (HostFileStamps.Begin()) Assert.Equal("root:x:locked\n", _passwd.Load().Value);
    }

    [Fact]
    public async Task WorkStartedInAScope_RunningAfterItClosed_StatsAfresh()
    {
        var closed = new TaskCompletionSource();
        Task<string> later;
        using (HostFileStamps.Begin())
        {
            Assert.Equal("root:x\n", _passwd.Load().Value);
            later = Task.Run(async () =>
            {
                await closed.Task;
                return _passwd.Load().Value;
            });
        }
        _host.WriteRootFile("/etc/acf/passwd", "root:x:locked\n");
        closed.SetResult();

        Assert.Equal("root:x:locked\n", await later);
    }

    [Fact]
    public void ASaveInTheScope_ItsNextLoadSeesTheSave()
    {
        using (HostFileStamps.Begin())
        {
            var (tag, _) = _passwd.Load();
            Assert.Null(_passwd.Save("root:y\n", tag, "root"));

            Assert.Equal("root:y\n", _passwd.Load().Value);
        }
        Assert.Equal("root:y\n", _passwd.Load().Value);
    }

    [Fact]
    public void StatFiles_EachPathAsItsStat_WithoutTheLinkTarget()
    {
        var caller = new BrokerCaller("acf", "acf");
        string[] paths = ["/etc/acf/passwd", "/etc/acf/api-tokens"];

        var all = _host.ReadyBroker.Send(caller, new StatFilesRequest(paths));

        Assert.True(all.Ok, all.Error?.Message);
        Assert.Equal(paths.Select(p => _host.ReadyBroker.Send(caller, new StatRequest(p)).Value! with { LinkTarget = null }), all.Value!);
        Assert.True(all.Value![0].Exists);
        Assert.False(all.Value[1].Exists);
    }

    [Fact]
    public void StatFiles_APathTheHostMayNotRead_RefusedAsItsStatIs()
    {
        var caller = new BrokerCaller("acf", "acf");

        var refused = _host.ReadyBroker.Send(caller, new StatFilesRequest(["/etc/acf/passwd", "/etc/shadow"]));
        var alone = _host.ReadyBroker.Send(caller, new StatRequest("/etc/shadow"));

        Assert.False(refused.Ok);
        Assert.Equal(alone.Error, refused.Error);
        Assert.False(_host.ReadyBroker.Send(caller, new StatFilesRequest([])).Ok);
    }
}
