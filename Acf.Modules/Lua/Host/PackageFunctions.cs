using Acf.Broker;
using Acf.Broker.Apk;
using KeraLua;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.apk</c>: the installed, available and upgradable packages, world and repositories; add, del, update, upgrade.</summary>
internal static class PackageFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("apk_state", State),
        new("apk_run", Run),
    ];

    private static int State(HostCall call)
    {
        var lua = call.Lua;
        if (call.ApkState is null)
        {
            var result = call.Broker.Send(call.Caller, new ReadPackagesRequest());
            if (!result.Ok) return lua.Failure(result.Error!);
            call.ApkState = result.Value!;
        }
        var state = call.ApkState;
        switch (lua.StringArg(1))
        {
            case "installed": return PushPackages(lua, state.Installed);
            case "available": return PushPackages(lua, state.Available);
            case "upgradable": return PushPackages(lua, ApkUpgrades.Upgradable(state));
            case "world":
                lua.PushBoolean(true);
                lua.PushStrings(state.World);
                return 2;
            case "repositories":
                lua.PushBoolean(true);
                lua.PushStrings(state.Repositories);
                return 2;
            default:
                return lua.Failure("invalid", "acf.apk: unknown list");
        }
    }

    private static int Run(HostCall call)
    {
        var lua = call.Lua;
        if (!Enum.TryParse<ApkVerb>(lua.StringArg(1) ?? "", ignoreCase: true, out var verb))
            return lua.Failure("invalid", "acf.apk: the action must be add, del, update or upgrade");
        var names = new List<string>();
        if (lua.Type(2) == LuaType.Table && lua.StringList(2, "acf.apk: the package names", 200, out names, allowEmpty: true) is { } invalid)
            return lua.Failure("invalid", invalid);
        call.ApkState = null; // what was read before this change is stale after it
        return lua.ExecResult(call.Broker.Send(call.Caller, new ApkRequest(verb, names), call.Request.Output));
    }

    private static int PushPackages(KeraLua.Lua lua, IReadOnlyList<ApkPackage> packages)
    {
        lua.PushBoolean(true);
        lua.CreateTable(packages.Count, 0);
        var i = 0;
        foreach (var package in packages)
        {
            if (!lua.CheckStack(8)) return lua.Failure("failed", "no room on the Lua stack");
            lua.CreateTable(0, 12);
            lua.SetString("name", package.Name);
            lua.SetString("version", package.Version);
            lua.SetString("arch", package.Architecture);
            lua.SetString("description", package.Description);
            lua.SetString("url", package.Url);
            lua.SetString("license", package.License);
            lua.SetString("origin", package.Origin);
            lua.SetInteger("size", package.Size);
            lua.SetInteger("installed_size", package.InstalledSize);
            lua.PushStrings(package.Depends);
            lua.SetField(-2, "depends");
            lua.PushStrings(package.Provides);
            lua.SetField(-2, "provides");
            lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }
}
