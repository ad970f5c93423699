namespace Acf.Bench;

/// <summary>
/// The floor of Acf's own design for an action: a module whose one action returns a constant, installed in the
/// measured app's copy (never in the repository). What <c>hostname/read</c> costs above it is the action's own work
/// (its broker read of /etc/hostname); what this costs above the empty ASP.NET app is Acf's fixed price per action:
/// authentication, the role check, the worker round trip over its pipe and a fresh Lua state.
/// </summary>
internal static class FloorModule
{
    public const string Name = "bench-floor/noop/read (an action that returns a constant)";
    public const string Path = "/api/bench-floor/noop/read";

    public static void Install(string appDir)
    {
        var dir = System.IO.Path.Combine(appDir, "modules-lua", "bench-floor");
        Directory.CreateDirectory(dir);
        File.WriteAllText(System.IO.Path.Combine(dir, "manifest.json"), """
            {
              "title": "Bench floor",
              "description": "Installed by scripts/bench.sh in its own copy of the app: one action that returns a constant.",
              "menu": [],
              "roles": { "USER": [ "noop/read" ] },
              "capabilities": {}
            }
            """);
        File.WriteAllText(System.IO.Path.Combine(dir, "noop.lua"), """
            local M = {}
            function M.read(ctx, input) return { type = "text", label = "Floor", value = "ok" } end
            return M
            """);
    }
}
