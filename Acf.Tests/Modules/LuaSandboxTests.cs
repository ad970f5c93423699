namespace Acf.Tests.Modules;

/// <summary>
/// The Lua sandbox as modules meet it: through <see cref="ModuleRunner"/> with small test modules. Each action body
/// starts on line 3 of <c>mod/ctl.lua</c>; <c>ctl/ok</c> is a plain action used to show the runner still serves.
/// </summary>
public class LuaSandboxTests
{
    private const string Manifest = """
        { "title": "Sandbox probe",
          "roles": { "GUEST": [ "ctl/run", "ctl/ok", "ctl/missing" ] },
          "capabilities": { "read": [ "/etc/probe" ], "write": [ "/etc/probe" ], "exec": [ [ "true" ] ] } }
        """;

    private static ModulesOptions SmallLimits() =>
        new() { InstructionLimit = 1_000_000, WallTimeSeconds = 5, MemoryLimitBytes = 16 << 20 };

    private static ModuleTestHost HostWith(string body, ModulesOptions? limits = null)
    {
        var host = new ModuleTestHost(limits ?? SmallLimits());
        host.AddModule("mod", Manifest, ("ctl", ModuleTestHost.ProbeController(body,
            """function M.ok(ctx) return { type = "text", value = "fine" } end""")));
        return host;
    }

    private static Task<RunResult> Run(ModuleTestHost host, string action = "run") =>
        host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", action);

    /// <summary>Runs the controller <paramref name="body"/> in a new host: the action succeeds; returns its text.</summary>
    private static async Task<string?> TextOf(string body)
    {
        using var host = HostWith(body);
        var result = await Run(host);
        Assert.Equal(RunStatus.Ok, result.Status);
        return result.Entity!.Text;
    }

    /// <summary>Runs the controller <paramref name="body"/> in a new host: the action fails; returns its error.</summary>
    private static async Task<string?> ErrorOf(string body, ModulesOptions? limits = null)
    {
        using var host = HostWith(body, limits);
        var result = await Run(host);
        Assert.Equal(RunStatus.Failed, result.Status);
        return result.Error;
    }

    private static async Task AssertStillServes(ModuleTestHost host)
    {
        var after = await Run(host, "ok");
        Assert.Equal(RunStatus.Ok, after.Status);
        Assert.Equal("fine", after.Entity!.Text);
    }

    /// <summary>Runs the action: it fails with an error containing <paramref name="message"/>, and the next action of
    /// the same host still runs. Returns the error. <paramref name="quickly"/>: the failure also came within 15 s, which
    /// catches a hang, not a speed (the message tells which limit stopped it).</summary>
    private static async Task<string?> AssertFailsWithThenServes(ModuleTestHost host, string message, bool quickly = false)
    {
        var clock = Stopwatch.StartNew();
        var result = await Run(host);
        var took = clock.Elapsed;

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains(message, result.Error);
        if (quickly) Assert.True(took < TimeSpan.FromSeconds(15), $"took {took}");
        await AssertStillServes(host);
        return result.Error;
    }

    [Fact]
    public async Task RunAsync_UserWithOrigin_ContextNamesAddressAndPort()
    {
        using var host = HostWith("return { type = 'text', value = (ctx.origin.address or '-') .. ':' .. tostring(ctx.origin.port) }");
        var user = ModuleTestHost.Guest with { Origin = new RequestOrigin("192.0.2.7", 5080) };

        var known = await host.RunAsync(user, "mod", "ctl", "run");
        var unknown = await Run(host);

        Assert.Equal("192.0.2.7:5080", known.Entity!.Text);
        Assert.Equal("-:nil", unknown.Entity!.Text);
    }

    [Theory]
    [InlineData("io")]
    [InlineData("os")]
    [InlineData("debug")]
    [InlineData("package")]
    [InlineData("dofile")]
    [InlineData("loadfile")]
    [InlineData("coroutine")]
    public async Task RunAsync_DangerousGlobal_IsNil(string name)
    {
        var text = await TextOf($"return {{ type = 'text', value = type({name}) }}");

        Assert.Equal("nil", text);
    }

    [Fact]
    public async Task Collectgarbage_Count_AllowedOtherOptionsRefused()
    {
        var text = await TextOf("""
            local count = collectgarbage("count")
            local ok, err = pcall(collectgarbage, "stop")
            return { type = "text", value = type(count) .. "|" .. tostring(ok) .. "|" .. tostring(err) }
            """);

        Assert.Equal("number|false|collectgarbage: only \"count\" is allowed", text);
    }

    [Fact]
    public async Task RunAsync_GlobalsThroughG_HaveNoEscapeHatch()
    {
        var text = await TextOf("""
            local names = {}
            for _, n in ipairs({ "io", "os", "debug", "package", "dofile", "loadfile", "coroutine", "require" }) do
              names[#names + 1] = n .. "=" .. type(_G[n])
            end
            return { type = "text", value = table.concat(names, ",") }
            """);

        Assert.Equal("io=nil,os=nil,debug=nil,package=nil,dofile=nil,loadfile=nil,coroutine=nil,require=function",
            text);
    }

    [Fact]
    public async Task Load_BinaryChunkFromStringDump_IsRefused()
    {
        var text = await TextOf("""
            local has_dump = type(string.dump) == "function"
            local f, err = load(string.dump(function() return 42 end))
            return { type = "text", value = tostring(has_dump) .. "|" .. tostring(f) .. "|" .. tostring(err) }
            """);

        var parts = text!.Split('|');
        Assert.Equal("true", parts[0]);
        Assert.Equal("nil", parts[1]);
        Assert.Contains("binary chunk", parts[2]);
    }

    [Fact]
    public async Task Load_BinaryModeRequested_StillRefusesBinary()
    {
        var text = await TextOf("""
            local f, err = load(string.dump(function() return 42 end), "x", "b")
            return { type = "text", value = tostring(f) .. "|" .. tostring(err) }
            """);

        Assert.StartsWith("nil|", text);
        Assert.Contains("binary chunk", text);
    }

    [Fact]
    public async Task Load_ReaderFunction_IsRefused()
    {
        var text = await TextOf("""
            local done = false
            local f, err = load(function() if done then return nil end done = true return "return 1" end)
            return { type = "text", value = tostring(f) .. "|" .. tostring(err) }
            """);

        Assert.Equal("nil|load: only text chunks (strings) are allowed", text);
    }

    [Fact]
    public async Task Load_TextChunk_SeesSandboxGlobalsOnly()
    {
        var text = await TextOf("""
            secret = "module global"
            local f = assert(load("return type(debug), type(io), type(os), type(string.format), tostring(secret)"))
            local a, b, c, d, e = f()
            return { type = "text", value = table.concat({ a, b, c, d, e }, ",") }
            """);

        Assert.Equal("nil,nil,nil,function,nil", text);
    }

    [Fact]
    public async Task Require_SharedLibrary_Loads()
    {
        var text = await TextOf("""
            local cfe = require("cfe")
            local again = require("cfe")
            return cfe.text{ value = tostring(rawequal(cfe, again)) .. "," .. type(cfe.handle_form) }
            """);

        Assert.Equal("true,function", text);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("os")]
    [InlineData("io")]
    [InlineData("lib/cfe")]
    [InlineData("/etc/passwd")]
    public async Task Require_NameOutsideLib_FailsWithClearError(string name)
    {
        var error = await ErrorOf($"local x = require(\"{name}\")\nreturn {{ type = 'text' }}");

        Assert.Contains($"module '{name}' not found", error);
        Assert.Contains("modules-lua/lib/<name>.lua", error);
    }

    [Fact]
    public async Task RunAsync_EndlessLoop_FailsWithInstructionLimitQuickly()
    {
        using var host = HostWith("while true do end");

        await AssertFailsWithThenServes(host, "instruction limit", quickly: true);
    }

    [Fact]
    public async Task RunAsync_EndlessLoopUnderInstructionLimit_FailsWithTimeLimit()
    {
        using var host = HostWith("while true do end",
            new ModulesOptions { InstructionLimit = 10_000_000_000, WallTimeSeconds = 1, MemoryLimitBytes = 16 << 20 });

        await AssertFailsWithThenServes(host, "time limit of 1 s", quickly: true);
    }

    [Fact]
    public async Task RunAsync_EndlessLoopInsidePcallInsideLoop_StillStops()
    {
        using var host = HostWith("""
            local caught = 0
            while true do
              local ok = pcall(function() while true do end end)
              if not ok then caught = caught + 1 end
            end
            """);

        await AssertFailsWithThenServes(host, "instruction limit");
    }

    [Fact]
    public async Task RunAsync_PcallCatchesLimitThenReturns_StillFails()
    {
        var error = await ErrorOf("""
            pcall(function() while true do end end)
            return { type = "text", value = "escaped" }
            """);

        Assert.Contains("instruction limit", error);
    }

    /// <summary>A body that runs away, even from inside an xpcall handler, fails with the limit that stopped it, and
    /// the host still serves.</summary>
    [Theory]
    [InlineData("xpcall(function() while true do end end, function(m) while true do end end)", "instruction limit")]
    [InlineData("xpcall(error, function(m) while true do end end, 'boom')", "instruction limit")]
    [InlineData("while true do xpcall(function() while true do end end, function(m) return m end) end", "instruction limit")]
    [InlineData("local t = {} for i = 1, 1e9 do t[i] = (\"x\"):rep(1000) .. i end", "memory limit of 16 MiB")]
    [InlineData("local s = (\"x\"):rep(2^30)", "memory limit of 16 MiB")]
    [InlineData("local parts = {} for i = 1, 64 do parts[i] = (\"y\"):rep(1 << 20) .. i end local s = table.concat(parts)", "memory limit of 16 MiB")]
    public async Task RunAsync_RunawayBody_FailsWithItsLimitThenServes(string body, string limit) // was Xpcall_LoopingOrCatchingHandler_CannotEscapeLimit and RunAsync_MemoryBomb_FailsWithMemoryLimit
    {
        using var host = HostWith(body + "\nreturn { type = 'text', value = 'escaped' }");

        await AssertFailsWithThenServes(host, limit);
    }

    [Fact]
    public async Task Xpcall_OrdinaryError_HandlerResultReturned()
    {
        var text = await TextOf("""
            local ok, message = xpcall(function() error("boom", 0) end, function(m) return "handled: " .. m end)
            return { type = "text", value = tostring(ok) .. "|" .. message }
            """);

        Assert.Equal("false|handled: boom", text);
    }

    [Fact]
    public async Task StringRep_BeyondLuaStringSize_FailsCleanly()
    {
        using var host = HostWith("local s = (\"x\"):rep(2^40)\nreturn { type = 'text' }");

        var result = await Run(host);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("mod/ctl.lua:3: resulting string too large", result.Error);
        await AssertStillServes(host);
    }

    [Fact]
    public async Task RunAsync_MemoryErrorCaughtByPcallThenLooping_StillStops()
    {
        using var host = HostWith("""
            local t = {}
            for i = 1, 1e9 do
              pcall(function() t[#t + 1] = ("x"):rep(1 << 20) .. i end)
            end
            return { type = "text" }
            """);

        await AssertFailsWithThenServes(host, "memory limit");
    }

    [Fact]
    public async Task Setmetatable_WithGc_IsRefused()
    {
        using var host = HostWith("""
            setmetatable({}, { __gc = function() while true do end end })
            return { type = "text" }
            """);

        var error = await AssertFailsWithThenServes(host, "__gc metamethods are not allowed");

        Assert.Contains("mod/ctl.lua:3:", error);
    }

    [Fact]
    public async Task Setmetatable_GcAddedAfterwards_NeverRuns()
    {
        // Lua marks an object for finalization only when its metatable has __gc at setmetatable time.
        using var host = HostWith("""
            local mt = {}
            local t = setmetatable({}, mt)
            mt.__gc = function() while true do end end
            t = nil
            return { type = "text", value = "done" }
            """);

        var result = await Run(host);

        Assert.Equal(RunStatus.Ok, result.Status);
        await AssertStillServes(host);
    }

    [Fact]
    public async Task StringFind_ExponentialPattern_RefusedQuickly()
    {
        using var host = HostWith("""
            local r = ('a'):rep(30):find(('a?'):rep(30) .. ('a'):rep(30))
            return { type = "text", value = tostring(r) }
            """);

        var error = await AssertFailsWithThenServes(host, "pattern too complex", quickly: true);

        Assert.Contains("mod/ctl.lua:3:", error);
    }

    [Theory]
    [InlineData("('a'):rep(30):match(('a?'):rep(30))")]
    [InlineData("('a'):rep(30):gsub(('a?'):rep(30), 'b')")]
    [InlineData("('a'):rep(30):gmatch(('a*'):rep(17))")]
    [InlineData("string.find(('a'):rep(30), ('[a]?'):rep(17))")]
    [InlineData("string.match(('a'):rep(30), ('%a-'):rep(17))")]
    public async Task PatternFunctions_MoreThanSixteenQuantifiers_Refused(string call)
    {
        var error = await ErrorOf($"local r = {call}\nreturn {{ type = 'text' }}");

        Assert.Contains("pattern too complex", error);
    }

    [Fact]
    public async Task PatternFunctions_SixteenQuantifiers_AllowedAndFast()
    {
        using var host = HostWith("""
            local s = ('a'):rep(16):match(('a?'):rep(16) .. ('a'):rep(16))
            local set = ('x-y'):match(('[a-z%-]'):rep(3))
            return { type = "text", value = s .. "," .. set }
            """);
        var clock = Stopwatch.StartNew();

        var result = await Run(host);

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal(new string('a', 16) + ",x-y", result.Entity!.Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}"); // a hang, not a speed check
    }

    [Fact]
    public async Task PatternFunctions_OrdinaryPatternsAndPlainFind_StillWork()
    {
        var text = await TextOf("""
            local a = ("  name  "):match("^%s*(.-)%s*$")
            local b = select(2, ("a-b-c"):gsub("%-", "+"))
            local c = ("x?*+-y"):find("?*+-", 1, true)
            local d = ("[a-z]"):find("[%]]")
            return { type = "text", value = table.concat({ a, b, c, d }, ",") }
            """);

        Assert.Equal("name,2,2,5", text);
    }

    [Theory]
    [InlineData("acf.fs.read(nil)", "acf.fs.read: the path must be a string")]
    [InlineData("acf.fs.read(42)", "acf.fs.read: the path must be a string")]
    [InlineData("acf.fs.write('/etc/x', {})", "acf.fs.write: the content must be a string")]
    [InlineData("acf.fs.write(nil, 'text')", "acf.fs.write: the path must be a string")]
    [InlineData("acf.fs.write('/etc/probe', 'x', nil, { mode = '0999' })", "acf.fs.write: mode is octal permission bits")]
    [InlineData("acf.fs.write('/etc/probe', 'x', nil, { mode = 4095 })", "acf.fs.write: mode is 0 to 0777")]
    [InlineData("acf.fs.write('/etc/probe', 'x', nil, { mode = true })", "acf.fs.write: mode is octal permission bits")]
    [InlineData("acf.crypto.pkcs12({}, 'pw')", "acf.crypto.pkcs12: the file must be a string of bytes")]
    [InlineData("acf.crypto.pem(nil)", "acf.crypto.pem: the text must be a string")]
    [InlineData("acf.text.base64_decode(5)", "acf.text.base64_decode: the text must be a string")]
    [InlineData("acf.fs.list(false)", "acf.fs.list: the path must be a string")]
    [InlineData("acf.fs.stat({})", "acf.fs.stat: the path must be a string")]
    [InlineData("acf.exec('not a table')", "acf.exec: the command must be a table of strings")]
    [InlineData("acf.exec({1, 2})", "acf.exec: the command: entry 1 is a number, not a string")]
    [InlineData("acf.exec({'true', {}})", "acf.exec: the command: entry 2 is a table, not a string")]
    [InlineData("acf.exec({})", "acf.exec: the command needs between 1 and 256 entries")]
    [InlineData("acf.fs.read('etc/probe')", "is not absolute")]
    [InlineData("acf.fs.read('/etc/shadow')", "may not read /etc/shadow")]
    [InlineData("acf.exec({'rm', '-rf', '/'})", "may not run 'rm -rf /'")]
    public async Task HostFunction_BadArguments_RaiseClearLuaError(string call, string message)
    {
        using var host = HostWith($"local r = {call}\nreturn {{ type = 'text' }}");

        await AssertFailsWithThenServes(host, message);
    }

    [Theory]
    [InlineData("'0600'")]
    [InlineData("'600'")]
    [InlineData("384")]
    public async Task FsWrite_ModeOption_CreatesTheFileWithThatMode(string mode)
    {
        using var host = HostWith($"local changed = acf.fs.write('/etc/probe', 'key', nil, {{ mode = {mode} }})\nreturn {{ type = 'text', value = tostring(changed) }}");
        Directory.CreateDirectory(host.RootPath("/etc"));

        var result = await Run(host);

        Assert.Equal("true", result.Entity!.Text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.RootPath("/etc/probe")));
    }

    [Fact]
    public async Task TextBase64Decode_BinaryBytes_ComeBackExactlyAndBadTextIsAMessage()
    {
        using var host = HostWith("""
            local bytes = acf.text.base64_decode("AP8KDcMo")
            local none, err = acf.text.base64_decode("not base64!")
            return { type = "text", value = table.concat({ bytes:byte(1, -1) }, ",") .. "|" .. tostring(none) .. "|" .. err }
            """);

        var result = await Run(host);

        Assert.Equal("0,255,10,13,195,40|nil|The text is not base64.", result.Entity!.Text);
    }

    [Fact]
    public async Task HostFunction_BadArgumentUnderPcall_CanBeHandledByModule()
    {
        var text = await TextOf("""
            local ok, err = pcall(acf.fs.read, nil)
            return { type = "text", value = tostring(ok) .. "|" .. tostring(err) }
            """);

        Assert.StartsWith("false|", text);
        Assert.Contains("the path must be a string", text);
    }

    [Fact]
    public async Task HostFunction_MissingFile_ReturnsNilAndMessage()
    {
        var text = await TextOf("""
            local text, err = acf.fs.read("/etc/probe")
            return { type = "text", value = tostring(text) .. "|" .. tostring(err) }
            """);

        Assert.Equal("nil|/etc/probe does not exist.", text);
    }

    [Theory]
    [InlineData("return 42", "ctl/run returned number, not a CFE table")] // was RunAsync_ActionReturnsNonTable_FailsWithMessage
    [InlineData("local x = 1", "ctl/run returned nil, not a CFE table")] // was RunAsync_ActionReturnsNothing_FailsWithMessage
    [InlineData("error(\"boom\")", "mod/ctl.lua:3: boom")] // was RunAsync_ModuleError_NamesFileAndLine
    [InlineData("error({ code = 1 })", "(error object is a table value)")] // was RunAsync_ErrorWithTableObject_FailsWithDescription
    public async Task RunAsync_ActionFails_FailsWithThisMessage(string body, string message)
    {
        var error = await ErrorOf(body);

        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("nosuch", RunStatus.NotFound, "There is no action mod/ctl/nosuch.")] // was RunAsync_ActionNotInManifest_NotFound
    [InlineData("missing", RunStatus.Failed, "no action 'missing' in mod/ctl.lua")] // was RunAsync_ActionInManifestButNotInController_FailsNamingIt
    public async Task RunAsync_ActionNotInManifestOrController_SaysWhichIsMissing(string action, RunStatus status, string message)
    {
        using var host = HostWith("return { type = 'text' }");

        var result = await Run(host, action);

        Assert.Equal(status, result.Status);
        Assert.Equal(message, result.Error);
    }

    [Fact]
    public async Task RunAsync_UnknownModule_NotFound()
    {
        using var host = HostWith("return { type = 'text' }");

        var result = await host.RunAsync(ModuleTestHost.Admin, "nosuch", "ctl", "run");

        Assert.Equal(RunStatus.NotFound, result.Status);
        Assert.NotNull(result.Error);
    }

    [Theory]
    [InlineData("local a = 1\nlocal b = nil\nreturn a + b.field", "mod/ctl.lua:5:", "attempt to index")] // was RunAsync_RuntimeErrorOnLaterLine_NamesThatLine
    [InlineData("local x = = 1", "mod/ctl.lua:3:", "unexpected symbol")] // was RunAsync_SyntaxError_NamesFileAndLine
    public async Task RunAsync_LuaErrorOnALine_NamesFileAndThatLine(string body, string fileAndLine, string what)
    {
        var error = await ErrorOf(body);

        Assert.StartsWith(fileAndLine, error);
        Assert.Contains(what, error);
    }

    [Fact]
    public async Task RunAsync_ContextAndInput_ReachTheAction()
    {
        using var host = HostWith("""
            return { type = "text", value = table.concat({ ctx.module, ctx.controller, ctx.action, ctx.user.name,
              ctx.user.roles[1], tostring(input.submit), input.name, acf.user().name }, ",") }
            """);

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run", ModuleTestHost.Submit("Go", ("name", "é-ü")));

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("mod,ctl,run,guest,GUEST,Go,é-ü,guest", result.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_CyclicCfe_FailsAsMalformedAndKeepsServing()
    {
        using var host = HostWith("""
            local t = { type = "group" }
            t.value = { x = t }
            return t
            """);

        await AssertFailsWithThenServes(host, "malformed CFE");
    }

    [Fact]
    public async Task RunAsync_DeeplyNestedGroups_ReadWithoutCorruptingTheProcess()
    {
        using var host = HostWith("""
            local root = { type = "group", value = {} }
            local node = root
            for i = 1, 30 do
              local child = { type = "group", value = {} }
              node.value["g" .. i] = child
              node = child
            end
            node.value.leaf = { type = "text", value = "deep" }
            return root
            """);

        var result = await Run(host);

        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("deep", result.Entity!.Find(string.Join('.', Enumerable.Range(1, 30).Select(i => "g" + i)) + ".leaf")!.Text);
    }

    [Fact]
    public async Task RunAsync_ReadCarryingSubmitField_IsNotASubmit()
    {
        using var host = HostWith("return { type = 'text', value = tostring(input.submit) }");
        var values = new Dictionary<string, IReadOnlyList<string>> { ["submit"] = ["Save"] };

        var result = await host.RunAsync(ModuleTestHost.Guest, "mod", "ctl", "run", new Acf.Modules.Cfe.ModuleInput(values));

        Assert.Equal("nil", result.Entity!.Text);
    }

    [Fact]
    public async Task RunAsync_DeniedHostCall_ErrorNamesModuleLine()
    {
        var error = await ErrorOf("acf.fs.read('/etc/shadow')");

        Assert.StartsWith("mod/ctl.lua:3:", error);
        Assert.Contains("may not read /etc/shadow", error);
    }

    [Theory]
    [InlineData("table.move({}, 1, 1 << 40, 2)", "range too large")]
    [InlineData("local s = ('a'):rep(2^21); s:find(('a'):rep(2^20) .. 'b', 1, true)", "too large for a plain search")]
    public async Task RunAsync_RunawayInsideC_RefusedBeforeItStarts(string body, string message)
    {
        var error = await ErrorOf(body, new ModulesOptions { InstructionLimit = 1_000_000, WallTimeSeconds = 5, MemoryLimitBytes = 64 << 20 });

        Assert.Contains(message, error);
    }

    /// <summary>One worker for the test below: its second run meets the Lua state the worker kept from the first.</summary>
    private static readonly ModuleWorkerPool OneWorker = new(WorkerLaunch.Default(), 1, NullLogger.Instance);

    [Fact]
    public async Task RunAsync_GlobalsOfOneRun_DoNotLeakIntoTheNext()
    {
        using var host = new ModuleTestHost(SmallLimits(), workers: OneWorker);
        host.AddModule("mod", Manifest, ("ctl", ModuleTestHost.ProbeController("""
            local seen = tostring(leftover) .. "," .. type(string.upper)
            leftover = "set by an earlier run"
            string.upper = nil
            return { type = "text", value = seen }
            """)));

        var first = await Run(host);
        var second = await Run(host);

        Assert.Equal("nil,function", first.Entity!.Text);
        Assert.Equal("nil,function", second.Entity!.Text);
    }
}
