using Acf.Broker;
using Acf.Broker.Apk;
using Acf.Broker.OpenRc;
using KeraLua;

namespace Acf.Modules.Lua;

/// <summary>The host functions behind <c>acf.service</c>, <c>acf.apk</c> and <c>acf.lbu</c>.</summary>
internal sealed partial class LuaSandbox
{
    private ApkState? _apkState; // read once per run: several calls of one action see the same state

    private void RegisterTools()
    {
        Register("service_list", ServiceList);
        Register("service_runlevels", ServiceRunlevels);
        Register("service_control", ServiceControl);
        Register("service_set_runlevels", ServiceSetRunlevels);
        Register("apk_state", ApkStateOf);
        Register("apk_run", ApkRun);
        Register("lbu_read", LbuRead);
        Register("lbu_change", LbuChange);
        Register("text_diff", TextDiff);
        Register("text_crypt", TextCrypt);
        RegisterCrypto();
        Register("fs_remove", FsRemove);
        Register("fs_link", FsLink);
        RegisterJson();
    }

    /// <summary>fs_remove(path [, tag]): under confirm-or-rollback the broker's journal keeps the content, so it comes back.</summary>
    private int FsRemove()
    {
        if (StringArg(1) is not { } path) return Failure("invalid", "acf.fs.remove: the path must be a string");
        var normalized = RootedPath.Validate(path) is null ? RootedPath.Normalize(path) : path;
        var expected = StringArg(2) ?? _readTags.GetValueOrDefault(normalized);
        var result = _broker.Send(_caller, new RemoveFileRequest(path, expected));
        if (!result.Ok) return Failure(result.Error!);
        _readTags[normalized] = FileTags.Absent;
        _lua.PushBoolean(true);
        _lua.PushBoolean(result.Value!.Changed);
        return 2;
    }

    /// <summary>fs_link(path, target | nil): a symbolic link made, replaced or (nil) removed; under confirm-or-rollback
    /// the journal keeps the link's previous target.</summary>
    private int FsLink()
    {
        if (StringArg(1) is not { } path) return Failure("invalid", "acf.fs.link: the path must be a string");
        if (_lua.Type(2) is not (LuaType.String or LuaType.Nil or LuaType.None))
            return Failure("invalid", "acf.fs.link: the target must be a string, or nil to remove the link");
        var result = _broker.Send(_caller, new LinkRequest(path, StringArg(2)));
        if (!result.Ok) return Failure(result.Error!);
        _lua.PushBoolean(true);
        _lua.PushBoolean(result.Value!.Changed);
        return 2;
    }

    /// <summary>A new SHA-512-crypt hash (<c>$6$</c>) of a password, for files such as squid's basic_ncsa_auth passwd.</summary>
    private int TextCrypt()
    {
        if (_lua.Type(1) != LuaType.String) return Failure("invalid", "acf.text.crypt: the password must be a string");
        var password = _lua.ToString(1, false);
        if (password.Length == 0 || password.Length > Acf.Broker.Text.Sha512Crypt.MaxPasswordBytes || password.Any(char.IsControl))
            return Failure("invalid", "acf.text.crypt: a password has 1 to 256 characters and no control characters");
        _lua.PushBoolean(true);
        // crypt(3)'s default 5,000 rounds, not the login's 200,000: proxy helpers such as basic_ncsa_auth verify
        // on every credentials check, and a small box must keep up with a whole office's browsers.
        _lua.PushString(Acf.Broker.Text.Sha512Crypt.Hash(password, rounds: Acf.Broker.Text.Sha512Crypt.SpecDefaultRounds));
        return 2;
    }

    private int TextDiff()
    {
        if (_lua.Type(1) != LuaType.String || _lua.Type(2) != LuaType.String)
            return Failure("invalid", "acf.text.diff: both texts must be strings");
        var diff = Acf.Broker.Text.UnifiedDiff.Create(_lua.ToString(1, false), _lua.ToString(2, false),
            StringArg(3) ?? "before", StringArg(4) ?? "after");
        _lua.PushBoolean(true);
        _lua.PushString(diff);
        return 2;
    }

    private int ServiceList()
    {
        var result = _broker.Send(_caller, new ListServicesRequest());
        if (!result.Ok) return Failure(result.Error!);
        _lua.PushBoolean(true);
        _lua.NewTable();
        var i = 0;
        foreach (var service in result.Value!)
        {
            _lua.NewTable();
            SetString("name", service.Name);
            SetString("state", service.State.ToString().ToLowerInvariant());
            SetString("description", service.Description ?? "");
            PushStrings(service.Runlevels);
            _lua.SetField(-2, "runlevels");
            PushStrings(service.ExtraCommands);
            _lua.SetField(-2, "commands");
            _lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }

    private int ServiceRunlevels()
    {
        var result = _broker.Send(_caller, new ListRunlevelsRequest());
        if (!result.Ok) return Failure(result.Error!);
        _lua.PushBoolean(true);
        PushStrings(result.Value!);
        return 2;
    }

    private int ServiceControl()
    {
        if (StringArg(1) is not { } name) return Failure("invalid", "acf.service: the service name must be a string");
        if (!Enum.TryParse<ServiceVerb>(StringArg(2) ?? "", ignoreCase: true, out var verb))
            return Failure("invalid", "acf.service: the action must be start, stop, restart or reload");
        return ExecResultOrFailure(_broker.Send(_caller, new ServiceControlRequest(name, verb)));
    }

    private int ServiceSetRunlevels()
    {
        if (StringArg(1) is not { } name) return Failure("invalid", "acf.service.set_runlevels: the service name must be a string");
        if (StringList(2, "acf.service.set_runlevels: the runlevels", 32, out var levels, allowEmpty: true) is { } invalid)
            return Failure("invalid", invalid);
        return ExecResultOrFailure(_broker.Send(_caller, new ServiceRunlevelsRequest(name, levels)));
    }

    private int ApkStateOf()
    {
        if (_apkState is null)
        {
            var result = _broker.Send(_caller, new ReadPackagesRequest());
            if (!result.Ok) return Failure(result.Error!);
            _apkState = result.Value!;
        }
        var state = _apkState;
        switch (StringArg(1))
        {
            case "installed": return PushPackages(state.Installed);
            case "available": return PushPackages(state.Available);
            case "upgradable": return PushPackages(ApkUpgrades.Upgradable(state));
            case "world":
                _lua.PushBoolean(true);
                PushStrings(state.World);
                return 2;
            case "repositories":
                _lua.PushBoolean(true);
                PushStrings(state.Repositories);
                return 2;
            default:
                return Failure("invalid", "acf.apk: unknown list");
        }
    }

    private int ApkRun()
    {
        if (!Enum.TryParse<ApkVerb>(StringArg(1) ?? "", ignoreCase: true, out var verb))
            return Failure("invalid", "acf.apk: the action must be add, del, update or upgrade");
        var names = new List<string>();
        if (_lua.Type(2) == LuaType.Table && StringList(2, "acf.apk: the package names", 200, out names, allowEmpty: true) is { } invalid)
            return Failure("invalid", invalid);
        _apkState = null; // what was read before this change is stale after it
        return ExecResultOrFailure(_broker.Send(_caller, new Acf.Broker.ApkRequest(verb, names), _request.Output));
    }

    private int LbuRead()
    {
        if (!Enum.TryParse<LbuReadKind>(StringArg(1) ?? "", ignoreCase: true, out var kind))
            return Failure("invalid", "acf.lbu: unknown list");
        var result = _broker.Send(_caller, new LbuReadRequest(kind, StringArg(2)));
        if (!result.Ok) return Failure(result.Error!);
        var report = result.Value!;
        _lua.PushBoolean(true);
        switch (kind)
        {
            case LbuReadKind.Status:
                _lua.NewTable();
                var i = 0;
                foreach (var entry in report.Status!)
                {
                    _lua.NewTable();
                    SetString("change", entry.Change.ToString()[..1]);
                    SetString("path", entry.Path);
                    _lua.RawSetInteger(-2, ++i);
                }
                break;
            case LbuReadKind.List:
                PushStrings(report.Files!);
                break;
            case LbuReadKind.Backups:
                _lua.NewTable();
                var j = 0;
                foreach (var backup in report.Backups!)
                {
                    _lua.NewTable();
                    SetString("name", backup.Name);
                    _lua.PushInteger(backup.Size);
                    _lua.SetField(-2, "size");
                    _lua.PushInteger(backup.Modified.ToUnixTimeSeconds());
                    _lua.SetField(-2, "mtime");
                    _lua.PushBoolean(backup.Current);
                    _lua.SetField(-2, "current");
                    _lua.RawSetInteger(-2, ++j);
                }
                break;
            case LbuReadKind.Config:
                var config = report.Config!;
                _lua.NewTable();
                SetString("media", config.Media);
                SetString("backupdir", config.BackupDir);
                if (config.BackupLimit is { } limit)
                {
                    _lua.PushInteger(limit);
                    _lua.SetField(-2, "backup_limit");
                }
                _lua.PushBoolean(config.Encryption);
                _lua.SetField(-2, "encryption");
                SetString("cipher", config.Cipher);
                break;
            default:
                if (report.Committed is { } bytes) _lua.PushBuffer(bytes); else _lua.PushNil();
                break;
        }
        return 2;
    }

    private int LbuChange()
    {
        if (!Enum.TryParse<LbuChangeKind>(StringArg(1) ?? "", ignoreCase: true, out var kind))
            return Failure("invalid", "acf.lbu: unknown change");
        var deleteOld = _lua.Type(3) == LuaType.Boolean && _lua.ToBoolean(3);
        return ExecResultOrFailure(_broker.Send(_caller, new LbuChangeRequest(kind, StringArg(2), deleteOld)));
    }

    private int PushPackages(IReadOnlyList<ApkPackage> packages)
    {
        _lua.PushBoolean(true);
        _lua.CreateTable(packages.Count, 0);
        var i = 0;
        foreach (var package in packages)
        {
            if (!_lua.CheckStack(8)) return Failure("failed", "no room on the Lua stack");
            _lua.CreateTable(0, 12);
            SetString("name", package.Name);
            SetString("version", package.Version);
            SetString("arch", package.Architecture);
            SetString("description", package.Description);
            SetString("url", package.Url);
            SetString("license", package.License);
            SetString("origin", package.Origin);
            _lua.PushInteger(package.Size);
            _lua.SetField(-2, "size");
            _lua.PushInteger(package.InstalledSize);
            _lua.SetField(-2, "installed_size");
            PushStrings(package.Depends);
            _lua.SetField(-2, "depends");
            PushStrings(package.Provides);
            _lua.SetField(-2, "provides");
            _lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }

    private void PushStrings(IReadOnlyList<string> items)
    {
        _lua.CreateTable(items.Count, 0);
        for (var i = 0; i < items.Count; i++)
        {
            _lua.PushString(items[i]);
            _lua.RawSetInteger(-2, i + 1);
        }
    }
}
