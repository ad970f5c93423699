namespace Acf.Tests.Auth;

public sealed class PasswdFileTests
{
    private const string RootHash = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";
    private const string OperatorHash = "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.";

    // A realistic /etc/acf/passwd: a comment block, a six-field line as ACF's web UI writes it, a four-field line as
    // setup-acf writes it, a blank line, an indented comment, a line with an empty skin and a damaged line.
    private static readonly string Realistic =
        "# ACF users, managed by acf\n" +
        "#user:password:Real Name:ROLES:skin:home\n" +
        "root:" + RootHash + ":Admin account:ADMIN:/skins/dark:/acf-util/welcome/read\n" +
        "operator:" + OperatorHash + ":Night Operator:EDITOR,USER\n" +
        "\n" +
        "  # disabled 2024-05-01\n" +
        "guest:!:Guest::\n" +
        "this line is damaged\n" +
        "viewer:*:Viewer:GUEST,,USER::\n";

    [Fact]
    public void ToText_UnchangedRealisticFile_ReturnsIdenticalText()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);

        // Act
        var text = file.ToText();

        // Assert
        Assert.Equal(Realistic, text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\n\n\n")]
    [InlineData("root:x:Root:ADMIN")]
    [InlineData("# only a comment, no final newline")]
    [InlineData("root:x:Root:ADMIN\r\nuser:y:User:USER\r\n")]
    [InlineData("a:b\n:::\nx:y:z:w:v:u:t\n")]
    public void ToText_UnchangedEdgeCases_ReturnsIdenticalText(string original)
    {
        // Arrange
        var file = PasswdFile.Parse(original);

        // Act
        var text = file.ToText();

        // Assert
        Assert.Equal(original, text);
    }

    [Fact]
    public void Parse_RealisticFile_ReadsUsersWithAllFields()
    {
        // Act
        var file = PasswdFile.Parse(Realistic);

        // Assert
        Assert.Equal(["root", "operator", "guest", "viewer"], file.Users.Select(u => u.Name));
        var root = file.Find("root");
        Assert.NotNull(root);
        Assert.Equal(RootHash, root.PasswordHash);
        Assert.Equal("Admin account", root.RealName);
        Assert.Equal(["ADMIN"], root.Roles);
        Assert.Equal("/skins/dark", root.Skin);
        Assert.Equal("/acf-util/welcome/read", root.Home);
    }

    [Fact]
    public void Parse_FourFieldLine_HasEmptySkinAndHome()
    {
        // Act
        var user = PasswdFile.Parse(Realistic).Find("operator");

        // Assert
        Assert.NotNull(user);
        Assert.Equal(["EDITOR", "USER"], user.Roles);
        Assert.Equal(string.Empty, user.Skin);
        Assert.Equal(string.Empty, user.Home);
    }

    [Fact]
    public void Parse_RolesWithEmptyEntries_DropsEmptyEntries()
    {
        // Act
        var user = PasswdFile.Parse(Realistic).Find("viewer");

        // Assert
        Assert.NotNull(user);
        Assert.Equal(["GUEST", "USER"], user.Roles);
    }

    [Fact]
    public void Parse_CrlfLine_ReadsFieldsWithoutCarriageReturn()
    {
        // Act
        var user = PasswdFile.Parse("root:x:Root:ADMIN\r\n").Find("root");

        // Assert
        Assert.NotNull(user);
        Assert.Equal(["ADMIN"], user.Roles);
    }

    [Theory]
    [InlineData("ROOT")]
    [InlineData("root ")]
    [InlineData("damaged")]
    [InlineData("this line is damaged")]
    public void Find_NameNotExactlyPresent_ReturnsNull(string name)
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);

        // Act
        var user = file.Find(name);

        // Assert
        Assert.Null(user);
    }

    [Fact]
    public void Find_DuplicateName_ReturnsFirst()
    {
        // Arrange
        var file = PasswdFile.Parse("root:a:First:ADMIN\nroot:b:Second:GUEST\n");

        // Act
        var user = file.Find("root");

        // Assert
        Assert.NotNull(user);
        Assert.Equal("a", user.PasswordHash);
    }

    [Fact]
    public void Upsert_ExistingUser_ReplacesLineInPlaceAndKeepsOthers()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);
        var root = file.Find("root")!;

        // Act
        file.Upsert(root with { PasswordHash = "$6$new$hash", Roles = ["ADMIN", "EXPERT"] });

        // Assert
        var expected = Realistic.Replace(
            "root:" + RootHash + ":Admin account:ADMIN:",
            "root:$6$new$hash:Admin account:ADMIN,EXPERT:",
            StringComparison.Ordinal);
        Assert.Equal(expected, file.ToText());
    }

    [Fact]
    public void Upsert_UnchangedUser_ReturnsIdenticalText()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);

        // Act
        file.Upsert(file.Find("root")!);
        file.Upsert(file.Find("operator")!);

        // Assert
        Assert.Equal(Realistic, file.ToText());
    }

    [Fact]
    public void Upsert_LineWithEmptyTrailingFields_KeepsFieldCount()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);
        var guest = file.Find("guest")!;

        // Act
        file.Upsert(guest with { RealName = "Visitor" });

        // Assert
        Assert.Contains("\nguest:!:Visitor::\n", file.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_NewUser_AppendsLineAfterLastLine()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);
        var user = new AcfUser("alice", "$6$abc$def", "Alice Example", ["USER"], string.Empty, string.Empty);

        // Act
        file.Upsert(user);

        // Assert
        Assert.Equal(Realistic + "alice:$6$abc$def:Alice Example:USER\n", file.ToText());
        Assert.Equal(user.RealName, file.Find("alice")?.RealName);
    }

    [Fact]
    public void Upsert_NewUserWithHome_WritesAllSixFields()
    {
        // Arrange
        var file = PasswdFile.Parse(string.Empty);

        // Act
        file.Upsert(new AcfUser("bob", "h", "Bob", ["GUEST", "USER"], string.Empty, "/welcome"));

        // Assert
        Assert.Equal("bob:h:Bob:GUEST,USER::/welcome\n", file.ToText());
    }

    [Fact]
    public void Upsert_FileWithoutFinalNewline_KeepsItWithout()
    {
        // Arrange
        var file = PasswdFile.Parse("root:x:Root:ADMIN");

        // Act
        file.Upsert(new AcfUser("bob", "h", "Bob", ["USER"], string.Empty, string.Empty));

        // Assert
        Assert.Equal("root:x:Root:ADMIN\nbob:h:Bob:USER", file.ToText());
    }

    [Fact]
    public void Upsert_CrlfLine_KeepsCarriageReturn()
    {
        // Arrange
        var file = PasswdFile.Parse("root:x:Root:ADMIN\r\nuser:y:User:USER\r\n");

        // Act
        file.Upsert(file.Find("root")! with { PasswordHash = "z" });

        // Assert
        Assert.Equal("root:z:Root:ADMIN\r\nuser:y:User:USER\r\n", file.ToText());
    }

    [Fact]
    public void Upsert_DuplicateName_ReplacesFirstAndRemovesLater()
    {
        // Arrange
        var file = PasswdFile.Parse("root:a:First:ADMIN\n# keep\nroot:b:Second:GUEST\n");

        // Act
        file.Upsert(new AcfUser("root", "c", "Root", ["ADMIN"], string.Empty, string.Empty));

        // Assert
        Assert.Equal("root:c:Root:ADMIN\n# keep\n", file.ToText());
    }

    public static TheoryData<string, string> InjectionAttempts => new()
    {
        { "RealName", "Eve\nmallory:x:Mallory:ADMIN" },
        { "RealName", "Eve:x" },
        { "RealName", "Eve\r" },
        { "RealName", "Eve\0" },
        { "RealName", "Eve\u0085" },
        { "PasswordHash", "x:ADMIN" },
        { "PasswordHash", "x\n" },
        { "Skin", "a:b" },
        { "Home", "/x\nroot::Root:ADMIN" },
        { "Role", "USER,ADMIN" },
        { "Role", "USER:" },
        { "Role", "admin" },
        { "Role", "" },
        { "Role", "USER\n" },
        { "Name", "eve:x" },
        { "Name", "eve\nroot" },
        { "Name", "-eve" },
        { "Name", "" },
    };

    [Theory]
    [MemberData(nameof(InjectionAttempts))]
    public void Upsert_FieldWithForbiddenCharacters_ThrowsAndLeavesFileUnchanged(string field, string value)
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);
        var eve = new AcfUser("eve", "$6$abc$def", "Eve", ["USER"], string.Empty, string.Empty);
        var user = field switch
        {
            "Name" => eve with { Name = value },
            "PasswordHash" => eve with { PasswordHash = value },
            "RealName" => eve with { RealName = value },
            "Role" => eve with { Roles = ["USER", value] },
            "Skin" => eve with { Skin = value },
            _ => eve with { Home = value },
        };

        // Act
        var act = () => file.Upsert(user);

        // Assert
        Assert.Throws<ArgumentException>(act);
        Assert.Equal(Realistic, file.ToText());
    }

    [Fact]
    public void Remove_ExistingUser_RemovesOnlyItsLine()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);

        // Act
        var removed = file.Remove("operator");

        // Assert
        Assert.True(removed);
        Assert.Equal(Realistic.Replace("operator:" + OperatorHash + ":Night Operator:EDITOR,USER\n", string.Empty, StringComparison.Ordinal), file.ToText());
        Assert.Null(file.Find("operator"));
    }

    [Fact]
    public void Remove_UnknownUser_ReturnsFalseAndLeavesFileUnchanged()
    {
        // Arrange
        var file = PasswdFile.Parse(Realistic);

        // Act
        var removed = file.Remove("nobody");

        // Assert
        Assert.False(removed);
        Assert.Equal(Realistic, file.ToText());
    }

    [Fact]
    public void Remove_DuplicateName_RemovesEveryLine()
    {
        // Arrange
        var file = PasswdFile.Parse("root:a:First:ADMIN\nroot:b:Second:GUEST\n");

        // Act
        file.Remove("root");

        // Assert
        Assert.Equal(string.Empty, file.ToText());
        Assert.Null(file.Find("root"));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("a")]
    [InlineData("john.doe_2-x")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")]
    public void ValidateUserName_ValidName_ReturnsNull(string name)
    {
        // Act
        var error = PasswdFile.ValidateUserName(name);

        // Assert
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-root")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg")]
    [InlineData("root ")]
    [InlineData("ro:ot")]
    [InlineData("ro/ot")]
    [InlineData("rööt")]
    [InlineData("root\n")]
    public void ValidateUserName_InvalidName_ReturnsMessage(string name)
    {
        // Act
        var error = PasswdFile.ValidateUserName(name);

        // Assert
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
