using System.Net.Http.Json;

namespace Acf.Tests.Lab;

/// <summary>
/// Acf for one lab node: the whole app on this machine in Alpine mode (the real broker, not the demo host), its root
/// the node's tree and every command run in the node through <c>Acf:Exec:Through</c>. Tests reach it only through its
/// HTTP API, logged in as the first admin.
/// </summary>
public static class LabAcf
{
    /// <summary>Acf for a namespace node; <paramref name="confirmSeconds"/>: the countdown of its confirm-or-rollback
    /// (<c>Acf:Apply:ConfirmSeconds</c>), when the lab waits for it.</summary>
    public static AcfAppFactory For(LabNode node, int? confirmSeconds = null) => For(node.Tree, node.Through, confirmSeconds);

    /// <summary>Acf for a user-mode-linux node: its root is the node's folder, whose <c>etc</c> is the node's /etc.</summary>
    public static AcfAppFactory For(UmlNode node, int? confirmSeconds = null) => For(node.Root, node.Through, confirmSeconds);

    private static AcfAppFactory For(string root, IReadOnlyList<string> through, int? confirmSeconds)
    {
        // Acf writes its own base (/etc/acf: users, roles) into the root as it starts; the folder must exist.
        Directory.CreateDirectory(Path.Combine(root, "etc", "acf"));
        var factory = new AcfAppFactory();
        factory.Settings["Acf:System:Mode"] = "alpine";
        factory.Settings["Acf:System:Root"] = root;
        for (var i = 0; i < through.Count; i++) factory.Settings[$"Acf:Exec:Through:{i}"] = through[i];
        if (confirmSeconds is { } seconds)
            factory.Settings["Acf:Apply:ConfirmSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return factory;
    }

    /// <summary>GETs an action's form or page (query values are input).</summary>
    public static async Task<JsonElement> ReadAsync(HttpClient client, string action)
    {
        var response = await client.GetAsync("/api/" + action);
        Assert.True(response.IsSuccessStatusCode, $"GET {action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Submits an action with JSON values and requires it to succeed; returns the answer.</summary>
    public static async Task<JsonElement> SubmitAsync(HttpClient client, string action, object values)
    {
        var body = new StringContent(JsonSerializer.Serialize(values), Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/" + action, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {action}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>Keeps the change that waits for its countdown (<c>POST /api/apply/keep</c>), as an admin's Keep does.</summary>
    public static async Task KeepAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/apply/keep", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"keep: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The last change the app's confirm-or-rollback guard kept or rolled back (recorded once every step ran).</summary>
    public static Acf.Modules.Apply.SettledApply? LastSettled(AcfAppFactory acf) =>
        acf.Services.GetRequiredService<Acf.Modules.Apply.ApplyGuard>().LastSettled;

    /// <summary>A field's value in a form answer.</summary>
    public static JsonElement Field(JsonElement form, string name) => form.GetProperty("value").GetProperty(name).GetProperty("value");
}
