using Acf.Web.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Web;

/// <summary>
/// Issue 19: every page re-read the host name through the broker and ran a whole second Lua action for the lbu chip.
/// The facts are now kept for all circuits and read again only after an audited change, a page's own save or
/// <see cref="HostFacts.MaxAge"/>.
/// </summary>
public sealed class HostFactsTests : IDisposable
{
    private static readonly BrokerCaller Caller = new("root", "alpine-baselayout");
    private readonly ModuleTestHost _host = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly BrokerSpy _spy = new();
    private readonly HostFacts _facts;

    public HostFactsTests()
    {
        _host.WriteRootFile("/etc/hostname", "first\n");
        _facts = new HostFacts(new HostActions(_spy.Around(_host.ReadyBroker)), _time);
    }

    public void Dispose() => _host.Dispose();

    private int HostNameReads => _spy.Requests.Count(r => r is ReadFileRequest { Path: "/etc/hostname" });

    [Fact]
    public void HostName_ManyPages_ReadOnceUntilAnAuditedChange()
    {
        Assert.Equal("first", _facts.HostName());
        Assert.Equal("first", _facts.HostName());
        Assert.Equal(1, HostNameReads);

        _host.WriteRootFile("/etc/hostname", "second\n");
        _host.Audit.Write(Caller, "write", "/etc/hostname");

        Assert.Equal("second", _facts.HostName());
        Assert.Equal(2, HostNameReads);
    }

    [Fact]
    public void HostName_ChangedBesideAcf_SeenAfterMaxAge()
    {
        _facts.HostName();
        _host.WriteRootFile("/etc/hostname", "by-hand\n");

        _time.Advance(HostFacts.MaxAge);

        Assert.Equal("by-hand", _facts.HostName());
    }

    [Fact]
    public async Task LbuCount_KeptAcrossPages_ReadAgainAfterChangeOrWhenFreshAsked()
    {
        var reads = 0;
        Task<int?> Read() => Task.FromResult<int?>(++reads);

        Assert.Equal(1, await _facts.LbuCountAsync(Read));
        Assert.Equal(1, await _facts.LbuCountAsync(Read));
        Assert.Equal(1, reads);

        _host.Audit.Write(Caller, "write", "/etc/motd");
        Assert.Equal(2, await _facts.LbuCountAsync(Read));
        Assert.Equal(3, await _facts.LbuCountAsync(Read, fresh: true));
        _time.Advance(HostFacts.MaxAge);
        Assert.Equal(4, await _facts.LbuCountAsync(Read));
        Assert.Equal(4, reads);
    }
}
