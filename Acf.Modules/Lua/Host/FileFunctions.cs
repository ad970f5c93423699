using KeraLua;

namespace Acf.Modules.Lua.Host;

/// <summary>
/// <c>acf.fs</c>: read, write, list, stat, remove, link and mkdir through the broker. A write or remove without a tag is guarded
/// by the tag of this action's own read of the file, so a concurrent change is refused rather than overwritten.
/// </summary>
internal static class FileFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("fs_read", Read),
        new("fs_write", Write),
        new("fs_list", List),
        new("fs_stat", Stat),
        new("fs_remove", Remove),
        new("fs_link", Link),
        new("fs_mkdir", MakeDirectory),
        new("fs_write_new_key", WriteNewKey),
    ];

    private static int Read(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.read: the path must be a string");
        int? tail = null;
        if (lua.Type(2) == LuaType.Table && lua.NumberField(2, "tail") is { } lines)
            tail = (int)Math.Clamp(lines, 1, SystemBroker.MaxReadBytes);
        var result = call.Broker.Send(call.Caller, new ReadFileRequest(path, tail));
        if (!result.Ok) return lua.Failure(result.Error!);
        var file = result.Value!;
        if (file.Bytes.Length > (call.LargestRead?.Bytes ?? -1)) call.LargestRead = (path, file.Bytes.Length);
        if (!call.Budget.HasRoomFor(file.Bytes.Length)) return lua.Failure("failed", HostCall.TooLargeMessage(path, file.Bytes.Length));
        if (tail is null) call.ReadTags[RootedPath.Normalize(path)] = file.Tag;
        lua.PushBoolean(true);
        lua.PushBuffer(file.Bytes);
        lua.PushString(file.Tag);
        if (file.PublicKeys is null) return 3;
        // A secret file: its keys are tokens ({secret:N}); the public key of each private key's token comes along.
        lua.NewTable();
        foreach (var (token, publicKey) in file.PublicKeys) lua.SetString(token, publicKey);
        return 4;
    }

    private static int Write(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.write: the path must be a string");
        if (lua.Type(2) != LuaType.String) return lua.Failure("invalid", "acf.fs.write: the content must be a string");
        var bytes = lua.ToBuffer(2, false);
        var normalized = Normalized(path);
        // A tag handed in (from a form) wins; else the tag of this run's own read guards against a concurrent change.
        var expected = lua.StringArg(3) ?? call.ReadTags.GetValueOrDefault(normalized);
        List<string>? validator = null;
        int? mode = null;
        if (lua.Type(4) == LuaType.Table)
        {
            lua.PushString("validate");
            var hasValidator = lua.RawGet(4) == LuaType.Table;
            var invalid = hasValidator ? lua.StringList(lua.GetTop(), "acf.fs.write: validate", 64, out validator) : null;
            lua.Pop(1);
            if (invalid is not null) return lua.Failure("invalid", invalid);
            if (ModeOption(lua, 4, out mode) is { } badMode) return lua.Failure("invalid", badMode);
        }
        var result = call.Broker.Send(call.Caller, new WriteFileRequest(path, bytes, expected, validator, Mode: mode));
        if (!result.Ok) return lua.Failure(result.Error!);
        call.ReadTags[normalized] = result.Value!.Tag;
        lua.PushBoolean(true);
        lua.PushBoolean(result.Value.Changed);
        lua.PushString(result.Value.Tag);
        return 3;
    }

    /// <summary>
    /// The <c>mode</c> option of acf.fs.write: an octal string ("0600", "600"; Lua has no octal literals) or a number
    /// of permission bits. The error text when it is neither.
    /// </summary>
    private static string? ModeOption(KeraLua.Lua lua, int index, out int? mode)
    {
        mode = null;
        lua.PushString("mode");
        var type = lua.RawGet(index);
        try
        {
            switch (type)
            {
                case LuaType.Nil:
                    return null;
                case LuaType.String:
                    var text = lua.ToString(-1, false);
                    if (text.Length is < 1 or > 4 || text.Any(c => c is < '0' or > '7'))
                        return "acf.fs.write: mode is octal permission bits such as \"0600\"";
                    mode = Convert.ToInt32(text, 8);
                    break;
                case LuaType.Number when lua.IsInteger(-1):
                    mode = (int)Math.Clamp(lua.ToInteger(-1), -1, int.MaxValue);
                    break;
                default:
                    return "acf.fs.write: mode is octal permission bits such as \"0600\"";
            }
            return mode is < 0 or > WriteFileRequest.MaxMode ? "acf.fs.write: mode is 0 to 0777 (permission bits only)" : null;
        }
        finally
        {
            lua.Pop(1);
        }
    }

    private static int List(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.list: the path must be a string");
        var result = call.Broker.Send(call.Caller, new ListDirectoryRequest(path));
        if (!result.Ok) return lua.Failure(result.Error!);
        lua.PushBoolean(true);
        lua.NewTable();
        var i = 0;
        foreach (var entry in result.Value!)
        {
            lua.NewTable();
            lua.SetString("name", entry.Name);
            lua.SetString("type", entry.Kind.ToString().ToLowerInvariant());
            lua.SetInteger("size", entry.Size);
            lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }

    private static int Stat(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.stat: the path must be a string");
        var result = call.Broker.Send(call.Caller, new StatRequest(path));
        if (!result.Ok) return lua.Failure(result.Error!);
        var status = result.Value!;
        if (!status.Exists) return lua.Failure("notfound", $"{status.Path} does not exist.");
        lua.PushBoolean(true);
        lua.NewTable();
        lua.SetString("type", status.Kind.ToString().ToLowerInvariant());
        if (status.LinkTarget is { } target) lua.SetString("target", target);
        lua.SetInteger("size", status.Size);
        lua.SetInteger("mode", status.Mode);
        lua.SetInteger("mtime", status.Modified?.ToUnixTimeSeconds() ?? 0);
        return 2;
    }

    /// <summary>fs_remove(path [, tag]): under confirm-or-rollback the broker's journal keeps the content, so it comes back.</summary>
    private static int Remove(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.remove: the path must be a string");
        var normalized = Normalized(path);
        var expected = lua.StringArg(2) ?? call.ReadTags.GetValueOrDefault(normalized);
        var result = call.Broker.Send(call.Caller, new RemoveFileRequest(path, expected));
        if (!result.Ok) return lua.Failure(result.Error!);
        call.ReadTags[normalized] = FileTags.Absent;
        return lua.Changed(result.Value!.Changed);
    }

    /// <summary>fs_link(path, target | nil): a symbolic link made, replaced or (nil) removed; under confirm-or-rollback
    /// the journal keeps the link's previous target.</summary>
    private static int Link(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.link: the path must be a string");
        if (lua.Type(2) is not (LuaType.String or LuaType.Nil or LuaType.None))
            return lua.Failure("invalid", "acf.fs.link: the target must be a string, or nil to remove the link");
        var result = call.Broker.Send(call.Caller, new LinkRequest(path, lua.StringArg(2)));
        if (!result.Ok) return lua.Failure(result.Error!);
        return lua.Changed(result.Value!.Changed);
    }

    /// <summary>fs_mkdir(path [, mode]): the folder and its missing parents; answers true and whether it made any.
    /// Not undone by a rollback (an empty folder left behind is harmless).</summary>
    private static int MakeDirectory(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.mkdir: the path must be a string");
        int? mode = null;
        switch (lua.Type(2))
        {
            case LuaType.Nil or LuaType.None: break;
            case LuaType.Number when lua.IsInteger(2): mode = (int)Math.Clamp(lua.ToInteger(2), -1, int.MaxValue); break;
            default: return lua.Failure("invalid", "acf.fs.mkdir: the mode must be a whole number such as tonumber(\"755\", 8)");
        }
        var result = call.Broker.Send(call.Caller, new MakeDirectoryRequest(path, mode));
        if (!result.Ok) return lua.Failure(result.Error!);
        return lua.Changed(result.Value!.Created.Count > 0);
    }

    /// <summary>fs_write_new_key(path, text [, tag]): the broker makes a Curve25519 key pair and writes the text with
    /// the private key in place of <c>{private-key}</c>; answers the public key and the file's new tag. The private
    /// key is never handed back.</summary>
    private static int WriteNewKey(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } path) return lua.Failure("invalid", "acf.fs.write_new_key: the path must be a string");
        if (lua.Type(2) != LuaType.String) return lua.Failure("invalid", "acf.fs.write_new_key: the content must be a string");
        var normalized = Normalized(path);
        var expected = lua.StringArg(3) ?? call.ReadTags.GetValueOrDefault(normalized);
        var result = call.Broker.Send(call.Caller, new WriteNewKeyRequest(path, lua.ToBuffer(2, false), expected));
        if (!result.Ok) return lua.Failure(result.Error!);
        call.ReadTags[normalized] = result.Value!.Write.Tag;
        lua.PushBoolean(true);
        lua.PushString(result.Value.PublicKey);
        lua.PushString(result.Value.Write.Tag);
        return 3;
    }

    private static string Normalized(string path) => RootedPath.Validate(path) is null ? RootedPath.Normalize(path) : path;
}
