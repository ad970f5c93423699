namespace Acf.Tests.Modules;

/// <summary>acf.json as modules meet it: ordered objects, null, edits that keep the order, and refusals without a crash.</summary>
public class LuaJsonTests
{
    private const string Manifest = """{ "title": "JSON probe", "roles": { "GUEST": [ "ctl/run" ] } }""";

    private static async Task<RunResult> Run(string body)
    {
        using var host = new ModuleTestHost(new ModulesOptions { InstructionLimit = 5_000_000, WallTimeSeconds = 5, MemoryLimitBytes = 32 << 20 });
        host.AddModule("mod", Manifest, ("ctl", ModuleTestHost.ProbeController(body)));
        return await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run");
    }

    private static async Task<string> Text(string body)
    {
        var result = await Run(body);
        Assert.True(result.Entity is not null, result.Error);
        return result.Entity!.Text!;
    }

    [Fact]
    public async Task DecodeEncode_Unchanged_SameBytes()
    {
        const string text = "{\\n  \\\"z\\\": 1,\\n  \\\"a\\\": [ \\\"x\\\", null, true ],\\n  \\\"m\\\": {}\\n}\\n";

        var output = await Text($$"""
            local doc, indent = acf.json.decode("{{text}}")
            return { type = "text", value = acf.json.encode(doc, indent) }
            """);

        Assert.Equal("{\n  \"z\": 1,\n  \"a\": [ \"x\", null, true ],\n  \"m\": {}\n}\n", output);
    }

    [Fact]
    public async Task Encode_EditedObject_KeepsOrderNewKeysLastRemovedGone()
    {
        var output = await Text("""
            local doc = acf.json.decode('{"z": 1, "a": 2, "m": 3}')
            acf.json.set(doc, "new", "x")
            doc.a = nil
            doc.z = 10
            return { type = "text", value = table.concat(acf.json.keys(doc), ",") .. "|" .. acf.json.encode(doc) }
            """);

        Assert.Equal("z,m,new|{\n  \"z\": 10,\n  \"m\": 3,\n  \"new\": \"x\"\n}\n", output);
    }

    [Fact]
    public async Task Encode_PlainTables_ArraysAndSortedObjects()
    {
        var output = await Text("""
            return { type = "text", value = acf.json.encode({ b = { 1, 2 }, a = acf.json.null, c = acf.json.object(), d = {} }) }
            """);

        Assert.Equal("{\n  \"a\": null,\n  \"b\": [ 1, 2 ],\n  \"c\": {},\n  \"d\": []\n}\n", output);
    }

    [Fact]
    public async Task Decode_BadJson_ReturnsNilAndMessage()
    {
        var output = await Text("""
            local doc, err = acf.json.decode('{ "a": 1 } // comment')
            return { type = "text", value = tostring(doc) .. " " .. err }
            """);

        Assert.StartsWith("nil not valid JSON", output);
    }

    [Theory]
    [InlineData("local t = {}; t.self = t; return acf.json.encode(t)")]
    [InlineData("return acf.json.encode({ f = print })")]
    [InlineData("return acf.json.encode({ 1, 2, nil, 4 })")]
    [InlineData("return acf.json.encode({ [1] = 1, a = 2 })")]
    [InlineData("return acf.json.encode({ x = '\\255' })")]
    [InlineData("return acf.json.encode({ x = 0/0 })")]
    public async Task Encode_NoJsonForm_RaisesALuaErrorAndTheHostSurvives(string body)
    {
        var result = await Run(body);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("acf.json.encode", result.Error);
    }
}
