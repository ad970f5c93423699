using System.Text.Json.Nodes;

namespace Acf.Web.Api;

/// <summary>
/// The OpenAPI 3.1 document of the API, built from the manifests of the modules shown on this host: one path per
/// <c>module/controller/action</c> that a role grants, with GET (read) and POST (submit), the roles that may call it,
/// and the CFE shape the answers really have. Nothing in it is kept by hand beside the manifests.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/api/openapi.json";

    /// <summary>
    /// The roles that may call an action: built-in ones (ADMIN may call every declared action), the module's own, and
    /// those <c>/etc/acf/roles</c> grants it to (<paramref name="grants"/>: a role set to the permissions the file gives it).
    /// </summary>
    public static IReadOnlyList<string> RolesFor(ModuleManifest module, string controllerAction, IEnumerable<string> fileRoles,
        Func<IReadOnlySet<string>, IReadOnlySet<string>> grants)
    {
        var permission = $"{module.Prefix}/{controllerAction}";
        return AcfRoles.Ordered
            .Concat(module.Roles.Keys.Concat(fileRoles).Where(r => !AcfRoles.Ordered.Contains(r)).Distinct().Order(StringComparer.Ordinal))
            .Where(r => module.Allows(AcfRoles.Expand([r]), controllerAction) || grants(AcfRoles.Expand([r])).Contains(permission))
            .ToList();
    }

    public static JsonObject Build(IEnumerable<ModuleManifest> modules, CustomRoles? customRoles = null)
    {
        var fileRoles = new List<string>();
        try
        {
            if (customRoles is not null) fileRoles.AddRange(customRoles.Load().File.Roles.Select(r => r.Name));
        }
        catch (IOException)
        {
            // An unreadable roles file grants nothing, here as at run time.
        }
        Func<IReadOnlySet<string>, IReadOnlySet<string>> grants = roles =>
            customRoles?.Grants(roles) ?? new HashSet<string>();
        var paths = new JsonObject
        {
            ["/api/modules"] = new JsonObject
            {
                ["get"] = Operation("modules", "The modules and actions the caller may use", "acf", Ok("A list of modules",
                    new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" } })),
            },
            [ApiAntiforgery.TokenPath] = new JsonObject
            {
                ["get"] = Operation("antiforgery", $"The {ApiAntiforgery.HeaderName} header a cookie-authenticated script must send",
                    "acf", Ok("headerName and token", new JsonObject { ["type"] = "object" })),
            },
            ["/api/apply"] = new JsonObject
            {
                ["get"] = Operation("apply", "Whether a change under confirm-or-rollback is waiting", "acf",
                    Ok("pending, and who, what and until when", new JsonObject { ["type"] = "object" })),
            },
        };
        foreach (var (path, keep) in new[] { ("/api/apply/keep", true), ("/api/apply/rollback", false) })
        {
            var settle = Operation(keep ? "apply.keep" : "apply.rollback",
                keep ? "Keeps the waiting change" : "Rolls the waiting change back", "acf",
                Ok("kept: true or false", new JsonObject { ["type"] = "object" }));
            settle["requestBody"] = JsonBody(new JsonObject { ["type"] = "object" }, "An empty JSON object");
            paths[path] = new JsonObject { ["post"] = settle };
        }

        var tags = new JsonArray { new JsonObject { ["name"] = "acf", ["description"] = "Acf itself" } };
        foreach (var module in modules.OrderBy(m => m.Prefix, StringComparer.Ordinal))
        {
            tags.Add(new JsonObject { ["name"] = module.Prefix, ["description"] = module.Title });
            foreach (var action in module.Actions.Order(StringComparer.Ordinal))
            {
                var roles = RolesFor(module, action, fileRoles, grants);
                var menu = module.Menu.FirstOrDefault(m => m.Action == action);
                var title = menu is null ? $"{module.Title}: {action}" : $"{module.Title}: {menu.Group}, {menu.Tab}";
                var id = $"{module.Prefix}.{action.Replace('/', '.')}";
                var rolesText = "Roles: " + string.Join(", ", roles) + ".";

                var get = Operation(id + ".get", title, module.Prefix, CfeResponses(submit: false));
                get["description"] = "Runs the action as a read and returns its CFE. Query values are input, never a submit. " + rolesText;
                get["parameters"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["name"] = "input", ["in"] = "query", ["style"] = "form", ["explode"] = true,
                        ["description"] = "Any field=value pairs the action reads (optional)",
                        ["schema"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                    },
                };
                get["x-acf-roles"] = Strings(roles);

                var post = Operation(id + ".post", title, module.Prefix, CfeResponses(submit: true));
                // "rc/control?service=sshd": guarded only for that input, still worth the note and the parameter
                var guarded = module.Confirm.Any(c => c == action || c.StartsWith(action + "?", StringComparison.Ordinal));
                post["description"] = "Submits the action's form (ACF's handle_form) and returns the CFE: with errtxt and status 400 "
                    + "when the submit was refused. An action without a form answers as for GET. " + rolesText
                    + (guarded ? " Applied under confirm-or-rollback: keep it with POST /api/apply/keep in time, or pass ?unchecked=true." : "");
                post["requestBody"] = JsonBody(new JsonObject { ["$ref"] = "#/components/schemas/Input" }, "The form's fields");
                if (guarded)
                {
                    post["parameters"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["name"] = "unchecked", ["in"] = "query",
                            ["description"] = "true applies the change without confirm-or-rollback (explicit choice)",
                            ["schema"] = new JsonObject { ["type"] = "boolean" },
                        },
                    };
                }
                post["x-acf-roles"] = Strings(roles);
                post["x-acf-confirm"] = guarded;
                paths[$"/api/{module.Prefix}/{action}"] = new JsonObject { ["get"] = get, ["post"] = post };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Acf API",
                ["version"] = "1",
                ["description"] = "The JSON API of Acf: every page's action at /api/<module>/<controller>/<action>, under the same "
                    + "role checks as the pages. Authenticate with an API token (Authorization: Bearer, made at /account/tokens) or "
                    + $"with the login cookie plus the {ApiAntiforgery.HeaderName} header. Answers are ACF's CFE tables as JSON.",
            },
            ["security"] = new JsonArray
            {
                new JsonObject { ["bearer"] = new JsonArray() },
                new JsonObject { ["cookie"] = new JsonArray(), ["antiforgery"] = new JsonArray() },
            },
            ["tags"] = tags,
            ["paths"] = paths,
            ["components"] = Components(),
        };
    }

    private static JsonObject Operation(string id, string summary, string tag, JsonObject responses) => new()
    {
        ["operationId"] = id,
        ["summary"] = summary,
        ["tags"] = new JsonArray { tag },
        ["responses"] = responses,
    };

    private static JsonObject Ok(string description, JsonObject schema) => new()
    {
        ["200"] = Response(description, schema),
        ["401"] = ErrorResponse("No valid login cookie or token"),
        ["403"] = ErrorResponse("Refused: missing antiforgery header"),
    };

    private static JsonObject CfeResponses(bool submit)
    {
        var cfe = new JsonObject { ["$ref"] = "#/components/schemas/Cfe" };
        var responses = new JsonObject
        {
            ["200"] = Response(submit ? "The CFE after the submit (submitted: true, descr the result)" : "The action's CFE", cfe),
            ["400"] = Response("The submit was refused (the CFE with errtxt on the form and its fields), or the input was malformed",
                new JsonObject { ["anyOf"] = new JsonArray { cfe.DeepClone(), new JsonObject { ["$ref"] = "#/components/schemas/Error" } } }),
            ["401"] = ErrorResponse("No valid login cookie or token"),
            ["403"] = ErrorResponse("The caller's roles (a token's: only those the user still has) do not grant the action, or the antiforgery header is missing"),
            ["404"] = ErrorResponse("No such action on this host"),
            ["429"] = ErrorResponse("Busy: this user already runs Acf:Modules:ActionsPerUser actions at once and ActionsQueuedPerUser more wait; nothing ran, retry when they have ended"),
            ["500"] = ErrorResponse("The module failed or hit a limit"),
        };
        if (submit)
        {
            responses["409"] = Response("Conflict: a file the action changes was changed since the form was read (by another admin "
                + "or outside Acf; reason file-changed: read the form again and resubmit), or a change under confirm-or-rollback is "
                + "waiting to be kept or rolled back (reason change-pending: settle it with /api/apply, then resubmit); nothing was written",
                new JsonObject { ["$ref"] = "#/components/schemas/Conflict" });
            responses["413"] = ErrorResponse("The body is too large");
            responses["415"] = ErrorResponse("The body is not application/json");
        }
        return responses;
    }

    private static JsonObject Response(string description, JsonObject schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject ErrorResponse(string description) =>
        Response(description, new JsonObject { ["$ref"] = "#/components/schemas/Error" });

    private static JsonObject JsonBody(JsonObject schema, string description) => new()
    {
        ["required"] = true,
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private static JsonObject StringProperty(string description) => new() { ["type"] = "string", ["description"] = description };

    private static JsonObject Components()
    {
        var scalar = new JsonArray { new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }, new JsonObject { ["type"] = "boolean" } };
        return new JsonObject
        {
            ["securitySchemes"] = new JsonObject
            {
                ["bearer"] = new JsonObject
                {
                    ["type"] = "http", ["scheme"] = "bearer",
                    ["description"] = "An API token (acf_...) from /account/tokens; it has the roles chosen for it that its user still has",
                },
                ["cookie"] = new JsonObject { ["type"] = "apiKey", ["in"] = "cookie", ["name"] = "acf" },
                ["antiforgery"] = new JsonObject
                {
                    ["type"] = "apiKey", ["in"] = "header", ["name"] = ApiAntiforgery.HeaderName,
                    ["description"] = $"Needed with the cookie, on every method; GET {ApiAntiforgery.TokenPath} gives it",
                },
            },
            ["schemas"] = new JsonObject
            {
                ["Error"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = Strings(["status", "error"]),
                    ["properties"] = new JsonObject { ["status"] = new JsonObject { ["type"] = "integer" }, ["error"] = new JsonObject { ["type"] = "string" } },
                },
                ["Conflict"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = Strings(["status", "error", "reason"]),
                    ["properties"] = new JsonObject
                    {
                        ["status"] = new JsonObject { ["type"] = "integer", ["const"] = 409 },
                        ["error"] = new JsonObject { ["type"] = "string", ["const"] = "conflict" },
                        ["reason"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray { "file-changed", "change-pending" } },
                        ["path"] = new JsonObject { ["type"] = "string", ["description"] = "The file that changed since it was read (file-changed)" },
                        ["message"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["Input"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Field name to value, as the form names them. A nested object stands for a group (group.field), an array "
                        + "for several values (multi, list); booleans as true or false; submit names the button (the first when absent).",
                    ["additionalProperties"] = new JsonObject
                    {
                        ["anyOf"] = new JsonArray
                        {
                            scalar[0]!.DeepClone(), scalar[1]!.DeepClone(), scalar[2]!.DeepClone(),
                            new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["anyOf"] = scalar } },
                            new JsonObject { ["$ref"] = "#/components/schemas/Input" },
                        },
                    },
                },
                ["Cfe"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "ACF's Configuration Framework Entity.",
                    ["required"] = Strings(["type", "value"]),
                    ["properties"] = new JsonObject
                    {
                        ["type"] = new JsonObject { ["type"] = "string", ["enum"] = Strings(CfeTypes.All) },
                        ["label"] = StringProperty("Shown beside the field"),
                        ["descr"] = StringProperty("Help text; on a submitted form without errtxt, the success message"),
                        ["errtxt"] = StringProperty("Why the value or the submit was refused"),
                        ["default"] = StringProperty("The default value"),
                        ["key"] = StringProperty("Key field of a structure"),
                        ["seq"] = new JsonObject { ["type"] = "number", ["description"] = "Order among siblings" },
                        ["readonly"] = new JsonObject { ["type"] = "boolean" },
                        ["min"] = new JsonObject { ["type"] = "number" },
                        ["max"] = new JsonObject { ["type"] = "number" },
                        ["submitted"] = new JsonObject { ["type"] = "boolean", ["description"] = "The answer to a submit" },
                        ["value"] = new JsonObject
                        {
                            ["description"] = "By type: group and form, an object of child CFEs by name in order; multi and list, an array of "
                                + "strings; boolean, a boolean; structure and chart, an array of rows (column name to string); password, "
                                + "always empty; every other type, a string or null",
                            ["anyOf"] = new JsonArray
                            {
                                new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["$ref"] = "#/components/schemas/Cfe" } },
                                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } } },
                                new JsonObject { ["type"] = "boolean" },
                                new JsonObject { ["type"] = "string" },
                                new JsonObject { ["type"] = "null" },
                            },
                        },
                        ["columns"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "structure and chart" },
                        ["option"] = new JsonObject
                        {
                            ["type"] = "array",
                            ["description"] = "select and multi choices; a form's buttons",
                            ["items"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["properties"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "string" }, ["label"] = new JsonObject { ["type"] = "string" }, ["group"] = new JsonObject { ["type"] = "string" } },
                            },
                        },
                    },
                },
            },
        };
    }
}
