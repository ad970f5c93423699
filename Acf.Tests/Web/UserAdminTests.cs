namespace Acf.Tests.Web;

/// <summary>The rules behind the users and roles pages, on the whole app with its demo root; one app per test.</summary>
public class UserAdminTests
{
    private static readonly AcfPrincipal Root = new(UserStore.FirstAdmin, [AcfRoles.Admin]);

    private static UserAdmin Admin(AcfAppFactory factory) => factory.Services.GetRequiredService<UserAdmin>();

    /// <summary>Adds the user <paramref name="name"/> (password "&lt;name&gt;-password") with one role and returns a
    /// client logged in as that user.</summary>
    private static Task<HttpClient> NewUserLoggedInAsync(AcfAppFactory factory, string name, string role)
    {
        factory.AddUser(name, name + "-password", role);
        return factory.LoggedInClientAsync(name, name + "-password");
    }

    [Fact]
    public async Task CreateUser_ByAdmin_WritesPasswdLineThatLogsIn()
    {
        using var factory = new AcfAppFactory();

        var error = Admin(factory).CreateUser(Root, new UserForm("alice", "Alice Example", ["EDITOR"], "alice-password"));

        Assert.Null(error);
        Assert.Matches(@"\nalice:\$6\$[^:]+:Alice Example:EDITOR\n$", factory.ReadRootFile("/etc/acf/passwd"));
        await factory.LoggedInClientAsync("alice", "alice-password");
    }

    [Fact]
    public void CreateUser_ByEditor_RefusedAndNothingWritten()
    {
        using var factory = new AcfAppFactory();
        _ = factory.Services;
        var before = factory.ReadRootFile("/etc/acf/passwd");

        var error = Admin(factory).CreateUser(new AcfPrincipal("ed", [AcfRoles.Editor]), new UserForm("mallory", "", [AcfRoles.Admin], "mallory-password"));

        Assert.Equal(UserAdmin.NotAdmin, error);
        Assert.Equal(before, factory.ReadRootFile("/etc/acf/passwd"));
    }

    [Theory]
    [InlineData("bad name", "x", "a-password")]
    [InlineData("alice", "Evil\nroot::ADMIN", "a-password")]
    [InlineData("alice", "a:b", "a-password")]
    [InlineData("alice", "Alice", "short")]
    [InlineData("alice", "Alice", "")]
    public void CreateUser_InvalidField_Refused(string name, string realName, string password)
    {
        using var factory = new AcfAppFactory();
        _ = factory.Services;
        var before = factory.ReadRootFile("/etc/acf/passwd");

        var error = Admin(factory).CreateUser(Root, new UserForm(name, realName, ["USER"], password));

        Assert.NotNull(error);
        Assert.Equal(before, factory.ReadRootFile("/etc/acf/passwd"));
    }

    [Fact]
    public void CreateUser_UnknownRole_Refused()
    {
        using var factory = new AcfAppFactory();

        var error = Admin(factory).CreateUser(Root, new UserForm("alice", "", ["NOSUCH"], "alice-password"));

        Assert.Equal("There is no role NOSUCH.", error);
    }

    [Fact]
    public void UpdateUser_KeepsSkinHomeCommentsAndOtherLines()
    {
        using var factory = new AcfAppFactory();
        _ = factory.Services;
        var path = Path.Combine(factory.DemoRoot, "etc", "acf", "passwd");
        File.WriteAllText(path, "# edited by hand\n" + File.ReadAllText(path) + "bob:$6$x$y:Bob:USER:dodge:/acf-util/welcome/read\nodd line\n");

        var error = Admin(factory).UpdateUser(Root, new UserForm("bob", "Robert", ["EDITOR"], null));

        Assert.Null(error);
        var lines = factory.ReadRootFile("/etc/acf/passwd").Split('\n');
        Assert.Equal("# edited by hand", lines[0]);
        Assert.StartsWith("root:$6$", lines[1]);
        Assert.Equal("bob:$6$x$y:Robert:EDITOR:dodge:/acf-util/welcome/read", lines[2]);
        Assert.Equal("odd line", lines[3]);
    }

    [Fact]
    public void UpdateUser_OwnRoles_Refused()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("second", "second-password", AcfRoles.Admin);
        var me = new AcfPrincipal("second", [AcfRoles.Admin]);

        var error = Admin(factory).UpdateUser(me, new UserForm("second", "second", [AcfRoles.Admin, AcfRoles.Editor], null));

        Assert.Equal("You cannot change your own roles.", error);
    }

    [Fact]
    public void UpdateUser_OwnPasswordOnUsersPage_Refused()
    {
        using var factory = new AcfAppFactory();

        var error = Admin(factory).UpdateUser(Root, new UserForm("root", "Administrator", [AcfRoles.Admin], "new-password"));

        Assert.NotNull(error);
        Assert.NotNull(factory.Services.GetRequiredService<UserStore>().Verify("root", AcfAppFactory.AdminPassword));
    }

    [Fact]
    public void UpdateUser_LastAdminDemoted_Refused_UntilAnotherAdminExists()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("second", "second-password", AcfRoles.Admin);
        var second = new AcfPrincipal("second", [AcfRoles.Admin]);
        Assert.Null(Admin(factory).UpdateUser(second, new UserForm("root", "Administrator", [AcfRoles.Editor], null)));

        var error = Admin(factory).UpdateUser(Root with { Name = "third" }, new UserForm("second", "second", [AcfRoles.Expert], null));

        Assert.Equal("This is the last administrator: give another user ADMIN first.", error);
        Assert.Contains(":root:", ":" + factory.ReadRootFile("/etc/acf/passwd"));
        Assert.Matches(@"(^|\n)root:[^:]+:Administrator:EDITOR\n", factory.ReadRootFile("/etc/acf/passwd"));
    }

    [Fact]
    public void DeleteUser_Self_Refused_Other_Removed()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("bob", "bob-password", AcfRoles.User);

        var self = Admin(factory).DeleteUser(Root, "root");
        var other = Admin(factory).DeleteUser(Root, "bob");

        Assert.Equal("You cannot delete yourself.", self);
        Assert.Null(other);
        Assert.DoesNotContain("bob:", factory.ReadRootFile("/etc/acf/passwd"));
    }

    [Fact]
    public void DeleteUser_LastAdmin_Refused()
    {
        using var factory = new AcfAppFactory();
        // An admin whose line was removed by hand meanwhile still holds a session: root is now the only ADMIN.
        var ghost = new AcfPrincipal("ghost", [AcfRoles.Admin]);

        var error = Admin(factory).DeleteUser(ghost, "root");

        Assert.Equal("This is the last administrator: it cannot be removed.", error);
    }

    [Fact]
    public async Task DeleteUser_LoggedIn_LosesSessionAtOnce()
    {
        using var factory = new AcfAppFactory();
        var bob = await NewUserLoggedInAsync(factory, "bob", AcfRoles.User);

        Admin(factory).DeleteUser(Root, "bob");

        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/api/modules")).StatusCode);
    }

    [Fact]
    public async Task ChangeOwnPassword_NeedsTheCurrentOne()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("bob", "bob-password", AcfRoles.User);
        var bob = new AcfPrincipal("bob", [AcfRoles.User]);

        var wrong = Admin(factory).ChangeOwnPassword(bob, "not-it", "bob-new-password", "bob-new-password");
        var right = Admin(factory).ChangeOwnPassword(bob, "bob-password", "bob-new-password", "bob-new-password");

        Assert.Equal("The current password is wrong.", wrong);
        Assert.Null(right);
        await factory.LoggedInClientAsync("bob", "bob-new-password");
    }

    [Fact]
    public async Task Lock_UserByHand_RefusesLoginAndEndsSession_UnlockOpensAgain()
    {
        using var factory = new AcfAppFactory();
        var session = await NewUserLoggedInAsync(factory, "bob", AcfRoles.User);

        Assert.Null(Admin(factory).Lock(Root, ThrottleKind.User, "bob"));
        var locked = await AcfAppFactory.LoginAsync(factory.CreateBrowserLikeClient(), "bob", "bob-password");
        var openSession = await session.GetAsync("/api/modules");
        Assert.Null(Admin(factory).Unlock(Root, ThrottleKind.User, "bob"));

        Assert.Contains("error=locked", locked.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, openSession.StatusCode);
        await factory.LoggedInClientAsync("bob", "bob-password");
    }

    [Fact]
    public void Lock_Self_Refused()
    {
        using var factory = new AcfAppFactory();

        var error = Admin(factory).Lock(Root, ThrottleKind.User, "root");

        Assert.Equal("You cannot lock yourself out.", error);
    }

    [Fact]
    public async Task CustomRole_GrantsDeclaredActionAtRunTime_AndInTheListing()
    {
        using var factory = new AcfAppFactory();
        var client = await NewUserLoggedInAsync(factory, "viewer", "SQUIDVIEW");
        var before = await client.GetAsync("/api/squid/logs/view");

        var error = Admin(factory).SaveRole(Root, "SQUIDVIEW", ["/squid/logs/view"], isNew: true);
        var after = await client.GetAsync("/api/squid/logs/view");
        var other = await client.GetAsync("/api/squid/config/edit");
        var listing = await client.GetStringAsync("/api/modules");

        Assert.Null(error);
        Assert.Equal("SQUIDVIEW:/squid/logs/view\n", factory.ReadRootFile(CustomRoles.RolesPath));
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("\"/api/squid/logs/view\"", listing);
        Assert.DoesNotContain("/api/squid/config/edit", listing);
    }

    [Fact]
    public async Task CustomRole_LineForBuiltInRole_AddsToItAndStrongerRoles()
    {
        using var factory = new AcfAppFactory();
        var client = await NewUserLoggedInAsync(factory, "ed", AcfRoles.Editor);
        var before = await client.GetAsync("/api/apk-tools/packages/manage");

        Admin(factory).SaveRole(Root, AcfRoles.User, ["/apk-tools/packages/manage"], isNew: false);

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/apk-tools/packages/manage")).StatusCode);
    }

    [Fact]
    public void SaveRole_UndeclaredOrAdmin_Refused()
    {
        using var factory = new AcfAppFactory();

        var undeclared = Admin(factory).SaveRole(Root, "X", ["/squid/nosuch/thing"], isNew: true);
        var admin = Admin(factory).SaveRole(Root, AcfRoles.Admin, [], isNew: false);
        var byEditor = Admin(factory).SaveRole(new AcfPrincipal("ed", [AcfRoles.Editor]), "X", [], isNew: true);

        Assert.Equal("No module declares /squid/nosuch/thing.", undeclared);
        Assert.Equal("ADMIN may do everything already.", admin);
        Assert.Equal(UserAdmin.NotAdmin, byEditor);
        Assert.False(File.Exists(Path.Combine(factory.DemoRoot, "etc", "acf", "roles")));
    }

    [Fact]
    public void SaveRole_KeepsPermissionsOfModulesNotHereAndOtherLines()
    {
        using var factory = new AcfAppFactory();
        _ = factory.Services;
        File.WriteAllText(Path.Combine(factory.DemoRoot, "etc", "acf", "roles"),
            "# mine\nOPS=/acf-util/password/editme,/squid/logs/view\nOTHER:/x/y/z\n");

        var error = Admin(factory).SaveRole(Root, "OPS", ["/squid/logs/stats"], isNew: false);

        Assert.Null(error);
        Assert.Equal("# mine\nOPS=/acf-util/password/editme,/squid/logs/stats\nOTHER:/x/y/z\n", factory.ReadRootFile(CustomRoles.RolesPath));
    }

    [Fact]
    public void DeleteRole_StillAssigned_Refused()
    {
        using var factory = new AcfAppFactory();
        factory.AddUser("viewer", "viewer-password", "SQUIDVIEW");
        Admin(factory).SaveRole(Root, "SQUIDVIEW", ["/squid/logs/view"], isNew: true);

        var error = Admin(factory).DeleteRole(Root, "SQUIDVIEW");

        Assert.Equal("Users still have this role: viewer.", error);
    }

    [Fact]
    public void Writes_GoThroughTheBroker_AuditedAndKeptInHistory()
    {
        using var factory = new AcfAppFactory();
        Admin(factory).CreateUser(Root, new UserForm("alice", "", ["USER"], "alice-password"));

        var audit = File.ReadAllText(Path.Combine(factory.DataPath, "audit.log"));

        Assert.Contains("\"user\":\"root\",\"module\":\"acf\",\"action\":\"write\",\"target\":\"/etc/acf/passwd\"", audit);
        Assert.Single(Directory.GetFiles(Path.Combine(factory.DataPath, "history", "etc", "acf", "passwd")));
    }
}
