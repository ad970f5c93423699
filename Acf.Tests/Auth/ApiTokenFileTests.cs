namespace Acf.Tests.Auth;

public class ApiTokenFileTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "api-tokens", name));

    [Fact]
    public void ToText_Unchanged_IsByteForByteTheSame()
    {
        var text = Fixture("api-tokens");

        var file = ApiTokenFile.Parse(text);

        Assert.Equal(text, file.ToText());
        Assert.Equal(2, file.Tokens.Count());
    }

    [Fact]
    public void Parse_TokenLine_ReadsEveryField()
    {
        var token = ApiTokenFile.Parse(Fixture("api-tokens")).Find("fedcba9876543210")!;

        Assert.Equal("editor", token.User);
        Assert.Equal(["EDITOR", "USER"], token.Roles);
        Assert.Equal("monitoring.v2", token.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796136000), token.Expires);
    }

    [Fact]
    public void Remove_OneToken_KeepsCommentsOrderAndUnknownLines()
    {
        var file = ApiTokenFile.Parse(Fixture("api-tokens"));

        Assert.True(file.Remove("0123456789abcdef"));

        Assert.Equal(Fixture("api-tokens.after-revoke"), file.ToText());
    }

    [Theory]
    [InlineData("backup script", true)]
    [InlineData("a:b", false)]
    [InlineData("new\nline", false)]
    [InlineData("trailing\n", false)]
    [InlineData("tab\there", false)]
    [InlineData("", false)]
    public void IsValidName_Name_RefusesWhatCouldBreakTheLine(string name, bool valid)
    {
        Assert.Equal(valid, ApiTokenFile.IsValidName(name));
    }
}
