using System.Text.Json;
using Acf.Modules.Apply;
using Acf.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Acf.Web.Api;

/// <summary>
/// The JSON API: the same <see cref="ModuleRunner"/> and the same authorization as the pages. GET reads (query values
/// are input, never a submit); POST submits a JSON object. 401 without login, 403 when the role lacks the action,
/// 400 with the CFE and its errtxt when a submit fails; 409 (<c>{"error":"conflict","reason":"file-changed"}</c>) when it
/// failed because a file changed since the form was read.
/// </summary>
public static class ModuleApi
{
    private const int MaxBodyBytes = 4 << 20;

    public static IEndpointRouteBuilder MapModuleApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapGet("/modules", ListModules);
        api.MapAntiforgeryToken();
        api.MapGet("/openapi.json", (ModuleCatalog catalog, ModuleConditionsCheck conditions, Acf.Modules.Roles.CustomRoles roles) =>
            Results.Json(ApiDocument.Build(catalog.Modules.Where(conditions.IsAvailable), roles)));
        api.MapGet("/apply", (HostActions host) => host.PendingApply is { } p
            ? Results.Json(new { pending = true, p.User, p.Module, p.Action, p.Deadline })
            : Results.Json(new { pending = false }));
        api.MapPost("/apply/keep", (HttpContext http, UserStore users, HostActions host) => SettleAsync(http, users, host, keep: true));
        api.MapPost("/apply/rollback", (HttpContext http, UserStore users, HostActions host) => SettleAsync(http, users, host, keep: false));
        api.MapGet("/{prefix}/{controller}/{action}", ReadAsync);
        api.MapPost("/{prefix}/{controller}/{action}", SubmitAsync).DisableAntiforgery();
        return app;
    }

    private static Results<JsonHttpResult<ModuleListing[]>, ForbidHttpResult> ListModules(HttpContext http, UserStore users, ModuleAccess access)
    {
        if (ApiCaller.Principal(http, users) is not { } user) return TypedResults.Forbid();
        var listing = access.Available(user).Select(m => new ModuleListing(
            m.Module.Prefix, m.Module.Title, m.Module.Description,
            m.Actions.Select(a => new ActionListing(a.Split('/')[0], a.Split('/')[1], $"/api/{m.Module.Prefix}/{a}")).ToArray(),
            m.Module.Menu.Where(e => m.Actions.Contains(e.Action)).ToArray())).ToArray();
        return TypedResults.Json(listing);
    }

    private static async Task<IResult> ReadAsync(HttpContext http, string prefix, string controller, string action,
        UserStore users, ModuleRunner runner)
    {
        return await RunAsync(http, users, runner, prefix, controller, action, ModuleQuery.Input(http.Request.Query));
    }

    /// <summary>The user who applied a guarded change keeps it or rolls it back (an admin may too); JSON only, as every POST.</summary>
    private static IResult SettleAsync(HttpContext http, UserStore users, HostActions host, bool keep)
    {
        if (!http.Request.HasJsonContentType())
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Send an empty JSON object (Content-Type: application/json).");
        if (ApiCaller.Principal(http, users) is not { } user) return Problem(StatusCodes.Status403Forbidden, "This user no longer exists.");
        return host.SettleApply(user, keep) switch
        {
            SettleOutcome.NothingWaiting => Problem(StatusCodes.Status404NotFound, "No change is waiting."),
            SettleOutcome.Forbidden => Problem(StatusCodes.Status403Forbidden, "Only the user who applied the change, or an admin, may settle it."),
            _ => Results.Json(new { kept = keep }),
        };
    }

    /// <summary>Only <c>application/json</c> is accepted: a cross-site form cannot send it without a CORS preflight.</summary>
    private static async Task<IResult> SubmitAsync(HttpContext http, string prefix, string controller, string action,
        UserStore users, ModuleRunner runner)
    {
        if (!http.Request.HasJsonContentType())
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Send the input as a JSON object (Content-Type: application/json).");
        if (http.Request.ContentLength > MaxBodyBytes) return Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        // A chunked body has no Content-Length: the limit is kept while reading, not only by the header's word.
        if (await ReadLimitedAsync(http.Request.Body, http.RequestAborted) is not { } bytes)
            return Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        JsonElement body;
        try
        {
            body = JsonSerializer.Deserialize<JsonElement>(bytes);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON: " + e.Message);
        }
        if (body.ValueKind != JsonValueKind.Object) return Problem(StatusCodes.Status400BadRequest, "The body must be a JSON object.");
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        Flatten(body, "", values);
        // ACF acts on a submit only when `submit` is present: an API POST is a submit, named or not.
        var submit = values.Remove("submit", out var named) ? named.FirstOrDefault() ?? "" : "";
        // ?unchecked=true: the explicit choice to apply a change that could cut the caller off without rollback.
        var @unchecked = http.Request.Query["unchecked"] == "true";
        return await RunAsync(http, users, runner, prefix, controller, action,
            new ModuleInput(values, submit) { Unchecked = @unchecked });
    }

    private static async Task<IResult> RunAsync(HttpContext http, UserStore users, ModuleRunner runner, string prefix,
        string controller, string action, ModuleInput input)
    {
        if (ApiCaller.Principal(http, users) is not { } user)
            return Problem(StatusCodes.Status403Forbidden, "This user no longer exists.");
        user = user with { Origin = new RequestOrigin(http.Connection.RemoteIpAddress?.ToString(), http.Connection.LocalPort) };
        var result = await runner.RunAsync(user, prefix, controller, action, input, http.RequestAborted);
        // A lost update prevented is no validation error: 409 with a reason a client can act on (reload, then retry).
        if (result is { Status: RunStatus.Ok, ConflictPath: { } path, Entity: { Submitted: true, Succeeded: false } conflicted })
            return Results.Json(new { status = StatusCodes.Status409Conflict, error = "conflict", reason = "file-changed", path,
                message = conflicted.Errtxt ?? $"{path} changed since it was read; nothing was written." }, statusCode: StatusCodes.Status409Conflict);
        return result.Status switch
        {
            RunStatus.Ok => new CfeResult(result.Entity!, result.Entity!.Submitted && !result.Entity.Succeeded
                ? StatusCodes.Status400BadRequest
                : StatusCodes.Status200OK),
            RunStatus.NotFound => Problem(StatusCodes.Status404NotFound, result.Error!),
            RunStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, result.Error!),
            RunStatus.BadInput => Problem(StatusCodes.Status400BadRequest, result.Error!),
            RunStatus.TooLarge => Problem(StatusCodes.Status422UnprocessableEntity, result.Error!),
            // Nothing ran: a pending change must be kept or rolled back first (POST /api/apply/keep), then retry.
            RunStatus.Busy => Results.Json(new { status = StatusCodes.Status409Conflict, error = "conflict", reason = "change-pending",
                message = result.Error }, statusCode: StatusCodes.Status409Conflict),
            // Nothing ran: this user already runs their share of actions (Acf:Modules:ActionsPerUser) and their queue
            // (ActionsQueuedPerUser) is full; retry after they end.
            RunStatus.TooManyActions => Problem(StatusCodes.Status429TooManyRequests, result.Error!),
            _ => Problem(StatusCodes.Status500InternalServerError, result.Error!),
        };
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Nested objects become ACF's dotted names (<c>group.field</c>); arrays become several values.</summary>
    private static void Flatten(JsonElement element, string prefix, Dictionary<string, IReadOnlyList<string>> values)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = prefix + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when !ByteText.IsBytesObject(value):
                    Flatten(value, name + ".", values);
                    break;
                case JsonValueKind.Array:
                    values[name] = value.EnumerateArray().Select(Scalar).ToList();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    values[name] = [Scalar(value)];
                    break;
            }
        }
    }

    /// <summary>A value: a string, <c>{"$bytes": base64}</c> (bytes that are not UTF-8), or any other JSON as its text.</summary>
    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Object when ByteText.Read(value) is { } text => text,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static IResult Problem(int status, string detail) =>
        Results.Json(new { status, error = detail }, statusCode: status);

    public sealed record ModuleListing(string Prefix, string Title, string? Description, ActionListing[] Actions,
        Acf.Broker.Catalog.MenuEntry[] Menu);

    public sealed record ActionListing(string Controller, string Action, string Url);

    /// <summary>Writes the CFE in ACF's JSON shape with the given status.</summary>
    private sealed class CfeResult(CfeNode entity, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            await using var json = new Utf8JsonWriter(http.Response.Body);
            CfeJson.Write(json, entity);
        }
    }
}
