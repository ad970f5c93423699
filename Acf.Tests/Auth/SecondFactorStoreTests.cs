using Microsoft.Extensions.Time.Testing;

namespace Acf.Tests.Auth;

public sealed class SecondFactorStoreTests : IDisposable
{
    private readonly ModuleTestHost _host = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_015));
    private readonly SecondFactorStore _store;
    private readonly string _secret = Totp.NewSecret();

    public SecondFactorStoreTests()
    {
        _host.WriteRootFile("/etc/acf/passwd", "");
        _store = new SecondFactorStore(new HostActions(_host.ReadyBroker), _clock);
    }

    private string CodeAt(double offsetSeconds) => Totp.Compute(Totp.Decode(_secret)!, _clock.GetUtcNow().AddSeconds(offsetSeconds));

    private IReadOnlyList<string> Enrol()
    {
        Assert.Equal(CodeCheck.Accepted, _store.CheckNew("alice", _secret, CodeAt(0)));
        var (codes, error) = _store.Enrol("alice", _secret, "alice");
        Assert.Null(error);
        return codes!;
    }

    [Fact]
    public void Enrol_WritesOtpFileWithMode0600_AndNoHistoryCopy()
    {
        var codes = Enrol();
        _store.Disable("alice", "alice"); // a second write, which would copy the first into history

        var mode = File.GetUnixFileMode(_host.RootPath(SecondFactorStore.OtpPath));

        Assert.Equal(SecondFactorStore.RecoveryCodeCount, codes.Count);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.False(Directory.Exists(Path.Combine(_host.DataPath, "history", "etc", "acf", "otp")));
        Assert.Contains("\"target\":\"/etc/acf/otp\"", File.ReadAllText(Path.Combine(_host.DataPath, "audit.log")));
    }

    [Fact]
    public void Enrol_StoresSecretAndHashesOnly_NotTheRecoveryCodes()
    {
        var codes = Enrol();

        var text = _host.ReadRootFile(SecondFactorStore.OtpPath);

        Assert.Contains($"alice:totp:{_secret}:$6$", text);
        Assert.DoesNotContain(codes[0], text);
        Assert.DoesNotContain(codes[0].Replace("-", ""), text);
    }

    [Fact]
    public void Check_SameStepTwice_SecondIsReplayed()
    {
        Enrol(); // used the step of now
        _clock.Advance(TimeSpan.FromSeconds(30));

        var first = _store.Check("alice", CodeAt(0), "alice");
        var again = _store.Check("alice", CodeAt(0), "alice");
        var enrolmentCode = _store.Check("alice", CodeAt(-30), "alice");

        Assert.Equal(CodeCheck.Accepted, first);
        Assert.Equal(CodeCheck.Replayed, again);
        Assert.Equal(CodeCheck.Replayed, enrolmentCode);
    }

    [Fact]
    public void Check_CodeTwoStepsOld_Invalid()
    {
        Enrol();
        _clock.Advance(TimeSpan.FromSeconds(90));

        var check = _store.Check("alice", CodeAt(-90), "alice");

        Assert.Equal(CodeCheck.Invalid, check);
    }

    [Fact]
    public void Check_RecoveryCode_WorksOnceInAnySpelling()
    {
        var codes = Enrol();

        var first = _store.Check("alice", codes[3].ToLowerInvariant().Replace("-", " "), "alice");
        var again = _store.Check("alice", codes[3], "alice");
        var other = _store.Check("alice", codes[4], "alice");

        Assert.Equal(CodeCheck.RecoveryCodeUsed, first);
        Assert.Equal(CodeCheck.Invalid, again);
        Assert.Equal(CodeCheck.RecoveryCodeUsed, other);
        Assert.Equal(SecondFactorStore.RecoveryCodeCount - 2, _store.RecoveryCodesLeft("alice"));
    }

    [Fact]
    public void Check_UserWithoutSecondFactor_Invalid()
    {
        var check = _store.Check("bob", CodeAt(0), "bob");

        Assert.Equal(CodeCheck.Invalid, check);
        Assert.False(_store.IsEnrolled("bob"));
    }

    [Fact]
    public void CheckNew_WrongCode_InvalidAndNothingWritten()
    {
        var check = _store.CheckNew("alice", _secret, "000000" == CodeAt(0) ? "111111" : "000000");

        Assert.Equal(CodeCheck.Invalid, check);
        Assert.False(File.Exists(_host.RootPath(SecondFactorStore.OtpPath)));
    }

    [Fact]
    public void Disable_KeepsOtherUsersAndComments()
    {
        _host.WriteRootFile(SecondFactorStore.OtpPath, $"# by hand\nbob:totp:{Totp.NewSecret()}:\n");
        Enrol();

        _store.Disable("alice", "root");

        Assert.StartsWith("# by hand\nbob:totp:", _host.ReadRootFile(SecondFactorStore.OtpPath));
        Assert.DoesNotContain("alice", _host.ReadRootFile(SecondFactorStore.OtpPath));
        Assert.True(_store.IsEnrolled("bob"));
    }

    public void Dispose() => _host.Dispose();
}
