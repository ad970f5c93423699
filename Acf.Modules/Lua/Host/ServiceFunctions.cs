using Acf.Broker.OpenRc;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.service</c>: OpenRC's services and runlevels, start/stop/restart/reload, and a service's runlevels.</summary>
internal static class ServiceFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("service_list", List),
        new("service_runlevels", Runlevels),
        new("service_control", Control),
        new("service_set_runlevels", SetRunlevels),
    ];

    private static int List(HostCall call)
    {
        var lua = call.Lua;
        var result = call.Broker.Send(call.Caller, new ListServicesRequest());
        if (!result.Ok) return lua.Failure(result.Error!);
        lua.PushBoolean(true);
        lua.NewTable();
        var i = 0;
        foreach (var service in result.Value!)
        {
            lua.NewTable();
            lua.SetString("name", service.Name);
            lua.SetString("state", service.State.ToString().ToLowerInvariant());
            lua.SetString("description", service.Description ?? "");
            lua.SetStrings("runlevels", service.Runlevels);
            lua.SetStrings("commands", service.ExtraCommands);
            lua.RawSetInteger(-2, ++i);
        }
        return 2;
    }

    private static int Runlevels(HostCall call)
    {
        var lua = call.Lua;
        var result = call.Broker.Send(call.Caller, new ListRunlevelsRequest());
        if (!result.Ok) return lua.Failure(result.Error!);
        lua.PushBoolean(true);
        lua.PushStrings(result.Value!);
        return 2;
    }

    private static int Control(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } name) return lua.Failure("invalid", "acf.service: the service name must be a string");
        if (!Enum.TryParse<ServiceVerb>(lua.StringArg(2) ?? "", ignoreCase: true, out var verb))
            return lua.Failure("invalid", "acf.service: the action must be start, stop, restart or reload");
        return lua.ExecResult(call.Broker.Send(call.Caller, new ServiceControlRequest(name, verb)));
    }

    private static int SetRunlevels(HostCall call)
    {
        var lua = call.Lua;
        if (lua.StringArg(1) is not { } name) return lua.Failure("invalid", "acf.service.set_runlevels: the service name must be a string");
        if (lua.StringList(2, "acf.service.set_runlevels: the runlevels", 32, out var levels, allowEmpty: true) is { } invalid)
            return lua.Failure("invalid", invalid);
        return lua.ExecResult(call.Broker.Send(call.Caller, new ServiceRunlevelsRequest(name, levels)));
    }
}
