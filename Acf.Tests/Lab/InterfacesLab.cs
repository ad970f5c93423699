namespace Acf.Tests.Lab;

/// <summary>
/// Two user-mode-linux nodes on one link (docs/lab.md, Interfaces): <c>box</c>, where Acf acts (Alpine mode, the node's
/// folder as root, every command run in the node, <see cref="ConfirmSeconds"/> of countdown), and <c>peer</c>, which
/// stands in for the admin and the other end of each link; the test sets the peer up itself with <c>ip</c>. The box's
/// /etc/network/interfaces starts with its loopback only: eth0's address is saved through Acf's interfaces/edit as the
/// class starts, and kept.
/// </summary>
public sealed class InterfacesLab : IAsyncLifetime
{
    /// <summary>The countdown of the class: short (the guard's least), for the tests that let it run out; long enough
    /// for them to see the admin cut off first (an address read and a ping of 1 s).</summary>
    public const int ConfirmSeconds = 10;

    public const string BoxAddress = "192.0.2.1";
    public const string PeerAddress = "192.0.2.2";

    private AcfAppFactory? _acf;

    public UmlLab Lab { get; private set; } = null!;

    public UmlNode Box => Lab["box"];

    public UmlNode Peer => Lab["peer"];

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The box's /etc/network/interfaces as a host path (Acf writes it, the node reads it).</summary>
    public string InterfacesFile => Path.Combine(Box.Root, "etc", "network", "interfaces");

    /// <summary>How long each step took, for docs/lab.md and the test output.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Timings { get; } = new();

    private readonly Stopwatch _clock = new();

    public void Time(string what) => Timings.Enqueue($"{what} {_clock.Elapsed.TotalSeconds:F0} s");

    public async Task InitializeAsync()
    {
        _clock.Start();
        Lab = UmlLab.Boot(new UmlNodeSpec("box", "wire"), new UmlNodeSpec("peer", "wire"));
        Time("boot");
        File.WriteAllText(InterfacesFile, """
            auto lo
            iface lo inet loopback

            """);
        _acf = LabAcf.For(Box, ConfirmSeconds);
        Peer.Must("ip", "addr", "add", PeerAddress + "/24", "dev", "eth0");
        Peer.Must("ip", "link", "set", "eth0", "up");

        // A save restarts networking in the node (every running interface down, the auto ones up again): seconds on a
        // quiet machine, half a minute on a busy one.
        Client = _acf.CreateBrowserLikeClient();
        Client.Timeout = TimeSpan.FromMinutes(5);
        var login = await AcfAppFactory.LoginAsync(Client, Acf.Modules.Roles.UserStore.FirstAdmin, AcfAppFactory.AdminPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        await AcfAppFactory.AddAntiforgeryHeaderAsync(Client);
        Time("Acf started");

        await EditAsync(new { name = "eth0", family = "inet", method = "static", auto = true, address = BoxAddress + "/24" });
        await KeepAsync();
        Time("eth0 saved through Acf");
    }

    /// <summary>A new stanza saved through interfaces/edit (fields the request leaves out are empty).</summary>
    public Task<JsonElement> EditAsync(object values) =>
        Timed("edit", () => LabAcf.SubmitAsync(Client, "alpine-baselayout/interfaces/edit", Merge(values, new { submit = "Save" })));

    private async Task<T> Timed<T>(string what, Func<Task<T>> step)
    {
        var clock = Stopwatch.StartNew();
        var result = await step();
        Timings.Enqueue($"({what} took {clock.Elapsed.TotalSeconds:F1} s)");
        return result;
    }

    /// <summary>An existing stanza's form, changed and saved through interfaces/edit (the form's other values as they are).</summary>
    public async Task<JsonElement> ChangeAsync(string name, string family, IDictionary<string, object> changes)
    {
        var form = await LabAcf.ReadAsync(Client, $"alpine-baselayout/interfaces/edit?name={name}&family={family}");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in form.GetProperty("value").EnumerateObject())
        {
            var value = field.Value.GetProperty("value");
            values[field.Name] = field.Name == "tunnel"
                ? value.EnumerateObject().ToDictionary(t => t.Name, t => (object?)t.Value.GetProperty("value").ToString())
                : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(e => e.ToString()).ToArray()
                : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
                : value.ToString();
        }
        foreach (var (key, value) in changes) values[key] = value;
        values["submit"] = "Save";
        return await Timed("change", () => LabAcf.SubmitAsync(Client, "alpine-baselayout/interfaces/edit", values));
    }

    /// <summary>ifup (Bring up) or ifdown (Take down) of one interface through interfaces/control.</summary>
    public Task<JsonElement> ControlAsync(string name, bool up) =>
        Timed(up ? "ifup" : "ifdown", () => LabAcf.SubmitAsync(Client, "alpine-baselayout/interfaces/control",
            new { name, submit = up ? "Bring up" : "Take down" }));

    /// <summary>ifup or ifdown of one interface through interfaces/control (<see cref="ControlAsync"/>), then kept.</summary>
    public async Task ControlKeptAsync(string name, bool up)
    {
        await ControlAsync(name, up);
        await KeepAsync();
    }

    /// <summary>A new stanza saved through interfaces/edit and brought up through interfaces/control, each step kept.</summary>
    public async Task SaveAndBringUpAsync(string name, object values)
    {
        await EditAsync(values);
        await KeepAsync();
        await ControlKeptAsync(name, up: true);
    }

    /// <summary>The peer's end of a link: <paramref name="add"/> (an <c>ip ... add</c> argv) makes <paramref name="name"/>,
    /// which gets <paramref name="address"/> and is set up.</summary>
    public void PeerLink(string name, string address, params string[] add)
    {
        Peer.Must(add);
        Peer.Must("ip", "addr", "add", address, "dev", name);
        Peer.Must("ip", "link", "set", name, "up");
    }

    /// <summary>Keeps the change that is waiting (there must be one: the action is under confirm-or-rollback).</summary>
    public async Task KeepAsync()
    {
        var pending = await LabAcf.ReadAsync(Client, "apply");
        Assert.True(pending.GetProperty("pending").GetBoolean(), "a guarded action left no change to keep");
        await LabAcf.KeepAsync(Client);
    }

    /// <summary>The last change Acf's confirm-or-rollback guard kept or rolled back (recorded once every step has run).</summary>
    public Acf.Modules.Apply.SettledApply? LastSettled => LabAcf.LastSettled(_acf!);

    /// <summary>
    /// Waits until no change is pending or rolling back, so that a test begins on a settled box even after another
    /// failed with its change pending (the countdown then undoes it within <see cref="ConfirmSeconds"/>).
    /// </summary>
    public void WaitSettled() =>
        WaitFor(() => _acf!.Services.GetRequiredService<Acf.Modules.Apply.ApplyGuard>().Refusal() is null,
            "no pending change", ConfirmSeconds + 60);

    /// <summary>
    /// Waits for the guard to record a change settled after <paramref name="before"/> (the rollback at the countdown: the
    /// guard records it once every step has run, the file put back, networking restarted, the rollback commands run).
    /// </summary>
    public Acf.Modules.Apply.SettledApply WaitForRollback(Acf.Modules.Apply.SettledApply? before)
    {
        WaitFor(() => LastSettled is { } now && now != before, "Acf to roll the change back", ConfirmSeconds + 60);
        return LastSettled!;
    }

    /// <summary>One ping from the peer to the address is answered within a second.</summary>
    public bool PeerReaches(string address) => Peer.Run("ping", "-c", "1", "-W", "1", address).Status == 0;

    /// <summary>Waits for a state of the nodes; on the deadline, fails with what the nodes say.</summary>
    public void WaitFor(Func<bool> condition, string what, int seconds = 30) =>
        LabWait.Until(condition, what, seconds, TimeSpan.FromMilliseconds(500), Diagnostics);

    /// <summary>What both nodes' kernels say, and the box's interfaces file, for a failure's message.</summary>
    public string Diagnostics()
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in (UmlNode[])[Box, Peer])
            foreach (var argv in (string[][])[["ip", "-d", "addr"], ["ip", "route"], ["cat", "/run/ifstate"]])
            {
                var result = node.Run(argv);
                text.Append($"--- {node.Name}: {string.Join(' ', argv)} ({result.Status})\n{result.Stdout}{result.Stderr}");
            }
        text.Append("--- box: /etc/network/interfaces\n").Append(File.ReadAllText(InterfacesFile));
        return text.ToString();
    }

    private static Dictionary<string, object?> Merge(params object[] parts)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var part in parts)
            foreach (var property in part.GetType().GetProperties())
                values[property.Name] = property.GetValue(part);
        return values;
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _acf?.Dispose();
        if (Lab == null) return Task.CompletedTask;
        Lab.Dispose();
        // After the class nothing of the lab is left; a leftover fails the class (xUnit reports a fixture's failure).
        var left = Lab.Leftovers();
        if (left.Count > 0) throw new InvalidOperationException("The interfaces lab left behind:\n" + string.Join("\n", left));
        return Task.CompletedTask;
    }
}
