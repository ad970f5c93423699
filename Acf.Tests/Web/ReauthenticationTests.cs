using Acf.Broker.Text;

namespace Acf.Tests.Web;

/// <summary>Re-authentication on /account is throttled like a login, and every password check costs the same (issue 16).</summary>
public class ReauthenticationTests
{
    [Fact]
    public void ChangeOwnPassword_AfterRepeatedWrongCurrentPasswords_RefusedEvenWithTheRightOne()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("alice", "alice-password", AcfRoles.Editor);
        var admin = factory.Services.GetRequiredService<UserAdmin>();
        var alice = new AcfPrincipal("alice", [AcfRoles.Editor]) { Origin = new RequestOrigin("192.0.2.44", 80) };
        for (var i = 0; i < 5; i++)
            Assert.Equal(Reauthentication.WrongPassword, admin.ChangeOwnPassword(alice, "guess-" + i, "a-new-password", "a-new-password"));

        var error = admin.ChangeOwnPassword(alice, "alice-password", "a-new-password", "a-new-password");

        Assert.Equal(Reauthentication.TooManyAttempts, error);
        Assert.NotNull(factory.Services.GetRequiredService<UserStore>().Verify("alice", "alice-password"));
    }

    [Fact]
    public void CheckCode_WrongCodesForTheSecondFactor_CountTowardsTheLock()
    {
        using var factory = new AcfAppFactory();
        var reauth = factory.Services.GetRequiredService<Reauthentication>();
        var root = new AcfPrincipal(UserStore.FirstAdmin, [AcfRoles.Admin]) { Origin = new RequestOrigin("192.0.2.45", 80) };

        for (var i = 0; i < 5; i++) Assert.Equal(Reauthentication.WrongCode, reauth.CheckCode(root, "00000" + i));

        Assert.Equal(Reauthentication.TooManyAttempts, reauth.CheckCode(root, "000000"));
        Assert.Equal(Reauthentication.TooManyAttempts, reauth.CheckPassword(root, AcfAppFactory.AdminPassword));
    }

    [Theory]
    [InlineData(5000)] // a legacy $6$ hash without rounds=
    [InlineData(10000)]
    public void PaddingRounds_CheaperHash_MadeToCostWhatACurrentHashCosts(int rounds)
    {
        var stored = Sha512Crypt.Hash("x", "saltsalt", rounds);

        Assert.Equal(Sha512Crypt.DefaultRounds, Sha512Crypt.CostOf(stored) + UserStore.PaddingRounds(stored));
    }

    [Theory]
    [InlineData("!")]
    [InlineData("")]
    public void PaddingRounds_DisabledHash_CostsAFullCheck(string stored)
    {
        Assert.Equal(Sha512Crypt.DefaultRounds, UserStore.PaddingRounds(stored));
    }

    [Fact]
    public void PaddingRounds_CurrentHash_None()
    {
        Assert.Equal(0, UserStore.PaddingRounds(Sha512Crypt.Hash("x")));
    }
}
