namespace Acf.Tests.Modules;

/// <summary>Issue 20: awall's policies, filters, snat and dnat as rule tables (one cell per key, rows added, removed and
/// moved), written in place underneath as the line editor did.</summary>
public class AwallRuleTableTests
{
    private const string Gateway = "/etc/awall/optional/internet-gateway.json";

    private static async Task<CfeNode> FormAsync(ModuleTestHost host) =>
        (await host.RunAsync(AwallPolicyTests.FromLan, "awall", "policy", "edit", AwallPolicyTests.Query("internet-gateway"))).Entity!;

    [Fact]
    public async Task Edit_Read_FiltersAreARuleTableWithACellPerKey()
    {
        using var host = ModuleTestHost.Demo();

        var filter = (await FormAsync(host)).Find("filter")!;

        Assert.Equal(CfeTypes.Records, filter.Type);
        Assert.Equal(["in", "out", "src", "dest", "service", "action", "conn_limit", "flow_limit"], filter.Children.Select(c => c.Name));
        Assert.Equal(3, filter.Rows.Count);
        Assert.Equal("ssh,http,https,dns,ping", filter.Rows[0]["service"]);
        Assert.Equal("3/60", filter.Rows[1]["conn_limit"]);
        Assert.Equal("", filter.Rows[1]["src"]);
        Assert.Equal(CfeTypes.Select, filter.Children.Single(c => c.Name == "action").Type);
    }

    [Fact]
    public async Task Edit_MoveARowUp_SwapsOnlyThoseEntriesAndKeepsTheirBytes()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Gateway);
        var lines = AwallPolicyTests.LinesOf((await FormAsync(host)).Find("filter")!).Split('\n');
        var second = Line(before, "\"conn-limit\"").TrimEnd('\n').TrimEnd(',');
        var third = Line(before, "\"flow-limit\"").TrimEnd('\n');

        var result = await AwallPolicyTests.Edit(host, "internet-gateway", ("filter", string.Join("\n", lines[0], lines[2], lines[1])));

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        var expected = before.Replace(second + ",\n" + third + "\n", third + ",\n" + second + "\n");
        Assert.NotEqual(before, expected);
        Assert.Equal(expected, host.ReadRootFile(Gateway));
    }

    [Fact]
    public async Task Edit_RemoveARowAndEditACell_OtherEntriesUntouched()
    {
        using var host = ModuleTestHost.Demo();
        var before = host.ReadRootFile(Gateway);
        var rows = (await FormAsync(host)).Find("filter")!.Rows.Select(r => r.ToDictionary()).ToList();
        rows.RemoveAt(2);
        rows[1]["conn_limit"] = "5/60";

        var result = await Submit(host, "filter", rows);

        Assert.True(result.Entity!.Succeeded, result.Entity.Errtxt);
        var after = host.ReadRootFile(Gateway);
        Assert.DoesNotContain("flow-limit", after);
        Assert.Contains("\"conn-limit\": { \"count\": 5, \"interval\": 60 }", after);
        Assert.Contains(Line(before, "\"ssh\", \"http\""), after);
        Assert.Equal(Section(before, "\"policy\""), Section(after, "\"policy\""));
    }

    [Theory]
    [InlineData("to_port", "70000", "a port")]
    [InlineData("service", "nosuchservice", "not a service")]
    [InlineData("to_addr", "192.168.1.10 192.168.1.11", "No spaces")]
    [InlineData("to_addr", "", "address to forward to")]
    public async Task Edit_WrongCell_MarkedOnThatCellAndNothingWritten(string column, string value, string message)
    {
        using var host = ModuleTestHost.Demo();
        var before = host.Keep(Gateway);
        var row = new Dictionary<string, string> { ["in"] = "WAN", ["service"] = "http", ["to_addr"] = "192.168.1.10", ["to_port"] = "8080" };
        row[column] = value;

        var result = await Submit(host, "dnat", [row]);

        var dnat = result.Entity!.Find("dnat")!;
        Assert.False(result.Entity.Succeeded);
        Assert.Contains(message, dnat.Rows[0]["@err " + column]);
        Assert.StartsWith("Row 1, ", dnat.Errtxt);
        before.AssertUnchanged();
    }

    [Fact]
    public async Task Edit_EmptyRowAdded_RefusedOnItsFirstCell()
    {
        using var host = ModuleTestHost.Demo();
        var rows = (await FormAsync(host)).Find("policy")!.Rows.Select(r => r.ToDictionary()).ToList();
        rows.Add(new Dictionary<string, string>());

        var result = await Submit(host, "policy", rows);

        Assert.Contains("empty row", result.Entity!.Find("policy")!.Rows[4]["@err in"]);
    }

    private static Task<Acf.Modules.RunResult> Submit(ModuleTestHost host, string table, IReadOnlyList<Dictionary<string, string>> rows) =>
        AwallPolicyTests.EditRows(host, "internet-gateway", table, rows);

    private static string Line(string text, string part) =>
        text.Split('\n').Single(l => l.Contains(part, StringComparison.Ordinal)) + "\n";

    private static string Section(string text, string key)
    {
        var start = text.IndexOf(key, StringComparison.Ordinal);
        return text[start..text.IndexOf(']', start)];
    }
}
