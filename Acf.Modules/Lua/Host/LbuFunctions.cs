using Acf.Broker.Lbu;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.lbu</c>: status, the files a commit takes, backups, lbu.conf, a committed file; commit, revert, include/exclude.</summary>
internal static class LbuFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("lbu_read", Read),
        new("lbu_change", Change),
        new("lbu_members", Members),
    ];

    private static int Read(HostCall call)
    {
        var lua = call.Lua;
        if (!Enum.TryParse<LbuReadKind>(lua.StringArg(1) ?? "", ignoreCase: true, out var kind))
            return lua.Failure("invalid", "acf.lbu: unknown list");
        var result = call.Broker.Send(call.Caller, new LbuReadRequest(kind, lua.StringArg(2)));
        if (!result.Ok) return lua.Failure(result.Error!);
        var report = result.Value!;
        lua.PushBoolean(true);
        switch (kind)
        {
            case LbuReadKind.Status:
                lua.NewTable();
                var i = 0;
                foreach (var entry in report.Status!)
                {
                    lua.NewTable();
                    lua.SetString("change", entry.Change.ToString()[..1]);
                    lua.SetString("path", entry.Path);
                    lua.RawSetInteger(-2, ++i);
                }
                break;
            case LbuReadKind.List:
                lua.PushStrings(report.Files!);
                break;
            case LbuReadKind.Backups:
                lua.NewTable();
                var j = 0;
                foreach (var backup in report.Backups!)
                {
                    lua.NewTable();
                    lua.SetString("name", backup.Name);
                    lua.SetInteger("size", backup.Size);
                    lua.SetInteger("mtime", backup.Modified.ToUnixTimeSeconds());
                    lua.SetBoolean("current", backup.Current);
                    lua.RawSetInteger(-2, ++j);
                }
                break;
            case LbuReadKind.Config:
                PushConfig(lua, report.Config!);
                break;
            case LbuReadKind.Package:
                if (!call.Budget.HasRoomFor(report.Archive!.Length))
                {
                    lua.Pop(1);
                    return lua.Failure("failed", "The overlay is too large for the memory limit.");
                }
                lua.PushBuffer(report.Archive);
                break;
            default:
                if (report.Committed is { } bytes) lua.PushBuffer(bytes); else lua.PushNil();
                break;
        }
        return 2;
    }

    /// <summary>members(archive) -> the members of an uploaded apkovl ({name, kind, mode, content, target}), read in
    /// the sandbox (no broker: the bytes are the module's own) for the module to check before it writes anything.</summary>
    private static int Members(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != KeraLua.LuaType.String) return lua.Failure("invalid", "acf.lbu.members: the archive must be a string");
        var members = ApkovlInspection.Read(lua.ToBuffer(1, false), out var error);
        if (members is null) return lua.Failure("failed", error!);
        if (!call.Budget.HasRoomFor(members.Sum(m => (long)m.Content.Length + m.Name.Length + 64)))
            return lua.Failure("failed", "The archive is too large for the memory limit.");
        lua.PushBoolean(true);
        lua.NewTable();
        var i = 0;
        foreach (var member in members)
        {
            lua.NewTable();
            lua.SetString("name", member.Name);
            lua.SetString("kind", member.Kind);
            lua.SetInteger("mode", member.Mode);
            lua.PushBuffer(member.Content);
            lua.SetField(-2, "content");
            if (member.LinkTarget is { } target) lua.SetString("target", target);
            lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }

    private static void PushConfig(KeraLua.Lua lua, LbuConfig config)
    {
        lua.NewTable();
        lua.SetString("media", config.Media);
        lua.SetString("backupdir", config.BackupDir);
        if (config.BackupLimit is { } limit) lua.SetInteger("backup_limit", limit);
        lua.SetBoolean("encryption", config.Encryption);
        lua.SetString("cipher", config.Cipher);
    }

    private static int Change(HostCall call)
    {
        var lua = call.Lua;
        if (!Enum.TryParse<LbuChangeKind>(lua.StringArg(1) ?? "", ignoreCase: true, out var kind))
            return lua.Failure("invalid", "acf.lbu: unknown change");
        var keepOld = lua.Type(3) == KeraLua.LuaType.Boolean && lua.ToBoolean(3);
        return lua.ExecResult(call.Broker.Send(call.Caller, new LbuChangeRequest(kind, lua.StringArg(2), keepOld)));
    }
}
