namespace Acf.Tests.Hostile;

/// <summary>
/// A worker keeps a Lua state for the next action of the same module and user (docs/isolation.md): action A of a
/// user tries every way to leave something for the next action in that state, and ends well so that its state is
/// kept; action B of the same user and module then runs in that very state (the address of the shared <c>print</c>
/// closure is A's) and finds none of it. Another user's or another module's action runs in another state (another
/// address, while A's state is still kept). One worker of the test's own, so that every action meets the same one.
/// </summary>
public sealed class HostileReuseTests : IDisposable
{
    private const string Manifest = """
        { "title": "Reuse probe", "roles": { "GUEST": [ "ctl/leave", "ctl/probe" ] },
          "capabilities": { "read": [ "/etc/probe" ] } }
        """;

    private static readonly AcfPrincipal OtherUser = new("other", ModuleTestHost.Guest.Roles);

    /// <summary>What B looks at: every place A tried to write, and whether the shared functions still do their work.
    /// Answers the names of those it found changed (empty: none), then the state's mark.</summary>
    private const string Probe = """
        function M.probe()
          local found = {}
          local function check(name, changed) if changed then found[#found + 1] = name end end
          check("global", leaked ~= nil or rawget(_G, "leaked") ~= nil or _ENV.leaked ~= nil)
          check("string", string.marker ~= nil or string.upper("a") ~= "A" or ("a"):upper() ~= "A" or ("a").marker2 ~= nil)
          check("string metatable", getmetatable("").marker ~= nil or getmetatable("").__index ~= string)
          check("table", table.marker ~= nil or table.concat({ "a", "b" }) ~= "ab" or select("#", table.unpack({ 1, 2 })) ~= 2)
          check("math", math.marker ~= nil or math.floor(1.5) ~= 1 or math.pi < 3)
          local drawn = math.random(1 << 40)
          math.randomseed(42)
          check("math.random", drawn == math.random(1 << 40))
          check("utf8", utf8.marker ~= nil or utf8.char(65) ~= "A")
          check("acf", acf.marker ~= nil or acf.fs.marker ~= nil or acf.fs.read("/etc/probe") ~= "fine")
          check("acf.json", acf.json.marker ~= nil or next(acf.json.null) ~= nil or next(acf.json.KEYS) ~= nil
            or not acf.json.encode({ a = acf.json.null }):find("null", 1, true))
          check("metatables", getmetatable(string) ~= false or getmetatable(acf) ~= false or getmetatable(acf.fs) ~= false)
          check("require", require("cfe").marker ~= nil or require("cfe").text{ value = "t" }.type ~= "text")
          check("coroutine", coroutine ~= nil)
          check("memory", collectgarbage("count") > 4096)
          check("env", getmetatable(_ENV).__index.leaked ~= nil or getmetatable(setmetatable({}, { marker = 1 })).marker ~= 1)
          return { type = "text", value = table.concat(found, ",") .. "|" .. tostring(print) }
        end
        """;

    private static readonly Dictionary<string, string> Attempts = new()
    {
        ["globals"] = "leaked = 'x'; _G.leaked = 'x'; rawset(_G, 'leaked', 'x'); _ENV.leaked = 'x'; getmetatable(_ENV).__index.leaked = 'x'",
        ["string library"] = """
            string.marker = 'x'; rawset(string, 'marker', 'x'); string.upper = function() return 'evil' end
            try(function() getmetatable('').__index.upper = function() return 'evil' end end)
            """,
        ["string metatable"] = """
            local mt = getmetatable('')
            mt.marker = 'x'; rawset(mt, '__index', { upper = function() return 'evil' end, marker2 = function() return 'x' end })
            try(function() setmetatable(mt, { __index = function() return 'evil' end }) end)
            """,
        ["table, math, utf8"] = """
            table.concat = function() return 'evil' end; table.marker = 'x'; rawset(table, 'unpack', function() end)
            math.floor = function() return 99 end; rawset(math, 'marker', 'x'); math.pi = 0; math.randomseed(42)
            utf8.char = function() return 'evil' end; rawset(utf8, 'marker', 'x')
            try(function() table.insert(table, 'x') end)
            """,
        ["acf replaced or extended"] = """
            acf.marker = 'x'; rawset(acf, 'marker', 'x'); acf.fs.read = function() return 'evil' end
            rawset(acf.fs, 'marker', 'x'); acf.json.encode = function() return 'evil' end; acf.json.marker = 'x'
            try(function() acf.json.null.marker = 'x' end); try(function() rawset(acf.json.null, 'marker', 'x') end)
            try(function() acf.json.set(acf.json.null, 'marker', 'x') end); try(function() rawset(acf.json.KEYS, 1, 'x') end)
            """,
        ["setmetatable on shared tables"] = """
            for _, t in ipairs({ string, table, math, utf8, acf, acf.fs, acf.json }) do
              try(function() setmetatable(t, { __index = function() return 'evil' end }) end)
            end
            """,
        ["library from require"] = "local cfe = require('cfe'); cfe.marker = 'x'; cfe.text = function() return { type = 'evil' } end",
        ["coroutine left suspended"] = """
            try(function() kept = coroutine.create(function() coroutine.yield() end); coroutine.resume(kept) end)
            try(function() local co = require('coroutine'); kept = co.create(function() co.yield() end) end)
            """,
        ["huge allocation left referenced"] = """
            leaked_big = ('x'):rep(8 << 20); local list = {}
            for i = 1, 50000 do list[i] = { i } end
            _G.leaked_list = list; getmetatable(_ENV).__index.also = list
            """,
        ["environment metatable"] = """
            local set = setmetatable; _G.setmetatable = function() end
            set(_ENV, { __index = function() return 'evil' end, __newindex = function() end })
            """,
    };

    public static TheoryData<string> Cases() => [.. Attempts.Keys];

    private readonly ModuleWorkerPool _worker = new(WorkerLaunch.Default(), 1, NullLogger.Instance);
    private readonly ModuleTestHost _host;

    public HostileReuseTests() => _host = new ModuleTestHost(new ModulesOptions { WallTimeSeconds = 10, MemoryLimitBytes = 64L << 20 }, workers: _worker);

    public void Dispose()
    {
        _host.Dispose();
        _worker.Dispose();
    }

    private void AddModule(string prefix, string attempt) => _host.AddModule(prefix, Manifest, ("ctl", $$"""
        local tostring, print, pcall = tostring, print, pcall
        local M = {}
        local function try(f) pcall(f) end
        function M.leave()
          {{attempt}}
          return { type = "text", value = "left|" .. tostring(print) }
        end
        {{Probe}}
        return M
        """));

    private async Task<(string Found, string State)> Run(AcfPrincipal user, string module, string action)
    {
        var result = await HostileCase.Bounded(_host.RunAsync(user, module, "ctl", action), $"{module}/ctl/{action}");
        Assert.True(result.Status == RunStatus.Ok, $"{action}: {result.Status} {result.Error}");
        var parts = result.Entity!.Text!.Split('|');
        return (parts[0], parts[1]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Run_ActionLeavesSomethingInItsState_NextActionOfThatUserAndModuleFindsNothing(string attempt)
    {
        _host.WriteRootFile("/etc/probe", "fine");
        AddModule("mod", Attempts[attempt]);
        AddModule("mod2", Attempts[attempt]);

        var (_, stateOfA) = await Run(ModuleTestHost.Guest, "mod", "leave");
        var (found, stateOfB) = await Run(ModuleTestHost.Guest, "mod", "probe");
        var (foundByOtherUser, stateOfOtherUser) = await Run(OtherUser, "mod", "probe");
        var (foundByOtherModule, stateOfOtherModule) = await Run(ModuleTestHost.Guest, "mod2", "probe");

        Assert.Equal(stateOfA, stateOfB); // B ran in A's state: what A left there was B's to find
        Assert.Equal("", found);
        Assert.NotEqual(stateOfA, stateOfOtherUser);
        Assert.NotEqual(stateOfA, stateOfOtherModule);
        Assert.Equal("", foundByOtherUser);
        Assert.Equal("", foundByOtherModule);
    }
}
