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

    private static readonly Dictionary<string, ApkList> Lists = new(StringComparer.Ordinal)
    {
        ["installed"] = ApkList.Installed,
        ["available"] = ApkList.Available,
        ["upgradable"] = ApkList.Upgradable,
        ["world"] = ApkList.World,
        ["repositories"] = ApkList.Repositories,
    };

    private static int State(HostCall call)
    {
        var lua = call.Lua;
        if (!Lists.TryGetValue(lua.StringArg(1) ?? "", out var list)) return lua.Failure("invalid", "acf.apk: unknown list");
        if (lua.Type(2) == LuaType.Table)
        {
            // A part of the available packages: the broker picks it, and a page is never kept for another call.
            if (list != ApkList.Available) return lua.Failure("invalid", "acf.apk: only the available list takes a query");
            if (ReadQuery(lua, 2, out var query) is { } invalid) return lua.Failure("invalid", "acf.apk.available: " + invalid);
            var page = call.Broker.Send(call.Caller, new ReadPackagesRequest(list, query));
            if (!page.Ok) return lua.Failure(page.Error!);
            return PushPackages(lua, page.Value!.Packages, page.Value.Total);
        }
        if (!call.ApkLists.TryGetValue(list, out var listing))
        {
            var result = call.Broker.Send(call.Caller, new ReadPackagesRequest(list));
            if (!result.Ok) return lua.Failure(result.Error!);
            call.ApkLists[list] = listing = result.Value!;
        }
        if (list is ApkList.World or ApkList.Repositories)
        {
            lua.PushBoolean(true);
            lua.PushStrings(listing.Lines);
            return 2;
        }
        return PushPackages(lua, listing.Packages);
    }

    private static readonly (string Key, LuaType Type)[] QueryFields =
        [("name", LuaType.String), ("filter", LuaType.String), ("offset", LuaType.Number), ("limit", LuaType.Number)];

    /// <summary>{ name =, filter =, offset =, limit = } as an <see cref="ApkQuery"/>; the error, or null.</summary>
    private static string? ReadQuery(KeraLua.Lua lua, int index, out ApkQuery query)
    {
        query = new ApkQuery();
        foreach (var (key, expected) in QueryFields)
        {
            lua.PushString(key);
            var type = lua.RawGet(index); // raw: a metatable's __index could raise, and no Lua error may cross this frame
            lua.Pop(1);
            if (type != LuaType.Nil && type != expected) return $"{key} must be a {(expected == LuaType.String ? "string" : "number")}";
        }
        var offset = lua.NumberField(index, "offset") ?? 0;
        var limit = lua.NumberField(index, "limit") ?? ApkQuery.MaxLimit;
        if (offset != Math.Floor(offset) || limit != Math.Floor(limit) || offset > int.MaxValue || limit > int.MaxValue)
            return "offset and limit must be whole numbers";
        query = new ApkQuery(lua.StringField(index, "name"), lua.StringField(index, "filter") ?? "", (int)offset, (int)limit);
        return query.Problem();
    }

    private static int Run(HostCall call)
    {
        var lua = call.Lua;
        if (!Enum.TryParse<ApkVerb>(lua.StringArg(1) ?? "", ignoreCase: true, out var verb))
            return lua.Failure("invalid", "acf.apk: the action must be add, del, update or upgrade");
        var names = new List<string>();
        if (lua.Type(2) == LuaType.Table && lua.StringList(2, "acf.apk: the package names", 200, out names, allowEmpty: true) is { } invalid)
            return lua.Failure("invalid", invalid);
        call.ApkLists.Clear(); // what was read before this change is stale after it
        return lua.ExecResult(call.Broker.Send(call.Caller, new ApkRequest(verb, names), call.Request.Output));
    }

    /// <summary>true and the list; with <paramref name="total"/> (a query's page) the list's <c>total</c> too. Set
    /// here, on the list itself, and only once it is built: a field set on anything but a table would raise a Lua
    /// error through this frame.</summary>
    private static int PushPackages(KeraLua.Lua lua, IReadOnlyList<ApkPackage> packages, long? total = null)
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
            lua.SetStrings("depends", package.Depends);
            lua.SetStrings("provides", package.Provides);
            lua.RawSetInteger(-2, ++i);
        }
        if (total is { } count) lua.SetInteger("total", count);
        return 2;
    }
}
