using Acf.Broker.Text;
using Xunit.Sdk;

namespace Acf.Tests.Modules.Fixtures;

/// <summary>
/// Runs one <see cref="ModuleFixtureCase"/> on a demo host built from the app's own registration
/// (<see cref="ModuleTestHost.Demo"/>): lays <c>before/</c> over the demo root and <c>recordings/</c> into the demo's
/// recorded outputs, runs the action as a user with the case's roles, and checks what the case expects. Every
/// failure names the case and shows the difference (a line diff for files).
/// </summary>
public static class ModuleFixtureRunner
{
    /// <param name="prepare">What the host needs before the case runs (a module that is not in the repository as such).</param>
    public static async Task RunAsync(ModuleFixtureCase fixture, Action<ModuleTestHost>? prepare = null)
    {
        using var host = ModuleTestHost.Demo();
        prepare?.Invoke(host);
        if (Directory.Exists(fixture.BeforeFolder)) host.CopyIntoRoot(fixture.BeforeFolder, "/");
        if (Directory.Exists(fixture.RecordingsFolder)) host.CopyIntoRoot(fixture.RecordingsFolder, DemoSystemBroker.RecordedOutputFolder);
        var before = FileTreeSnapshot.Of(host.Root);

        var user = new AcfPrincipal("fixture", fixture.Roles);
        var result = await host.RunAsync(user, fixture.Module, fixture.Controller, fixture.Action, fixture.Input);

        var expect = fixture.Expect;
        CheckResult(fixture, result);
        if (result.Entity is { } entity)
        {
            CheckErrors(fixture, entity);
            CheckValues(fixture, entity);
            if (expect.Message is { } message && entity.Descr?.Contains(message, StringComparison.Ordinal) != true)
                Fail(fixture, $"the form's message is '{entity.Descr}', which does not contain '{message}'");
        }
        else if (expect.Errors.TryGetValue("", out var error) && result.Error?.Contains(error, StringComparison.Ordinal) != true)
        {
            Fail(fixture, $"the error is '{result.Error}', which does not contain '{error}'");
        }
        if (expect.Commands is { } commands) CheckCommands(fixture, commands, AuditedCommands.Of(host.Audit.ReadAll()));
        if (Directory.Exists(fixture.AfterFolder)) CheckAfter(fixture, host);
        else if (MustChangeNothing(fixture)) CheckUnchanged(fixture, before, FileTreeSnapshot.Of(host.Root));
    }

    /// <summary>A refusal, a read and a case that says so write nothing (a case with after/ names what it writes).</summary>
    private static bool MustChangeNothing(ModuleFixtureCase fixture) =>
        fixture.Expect.Unchanged || fixture.Expect.Result is "refused" or "forbidden" || fixture.Button is null;

    private static void CheckResult(ModuleFixtureCase fixture, RunResult result)
    {
        var entity = result.Entity;
        var refused = entity is not null && (entity.Errtxt is not null || entity.HasFieldErrors);
        var actual = result.Status switch
        {
            RunStatus.Ok => refused ? "refused" : "ok",
            RunStatus.Forbidden => "forbidden",
            RunStatus.Failed => "failed",
            _ => result.Status.ToString(),
        };
        if (actual == fixture.Expect.Result) return;
        var why = result.Error ?? entity?.Errtxt ?? FirstFieldError(entity) ?? entity?.Descr;
        Fail(fixture, $"the result is '{actual}', not '{fixture.Expect.Result}'" + (why is null ? "" : $": {why}"));
    }

    private static string? FirstFieldError(CfeNode? node) =>
        node?.Children.Select(c => c.Errtxt is { } e ? $"{c.Name}: {e}" : FirstFieldError(c)).FirstOrDefault(e => e is not null);

    /// <summary>Each named field carries an error containing the text; "" names the form itself.</summary>
    private static void CheckErrors(ModuleFixtureCase fixture, CfeNode form)
    {
        foreach (var (field, text) in fixture.Expect.Errors)
        {
            var node = field.Length == 0 ? form : form.Find(field) ?? Fail<CfeNode>(fixture, $"the form has no field '{field}'");
            if (node.Errtxt?.Contains(text, StringComparison.Ordinal) != true)
                Fail(fixture, $"the error of '{(field.Length == 0 ? "the form" : field)}' is '{node.Errtxt}', which does not contain '{text}'");
        }
    }

    /// <summary>A text is the field's value (a boolean's "true"/"false"); an array is a multi's or a list's items.</summary>
    private static void CheckValues(ModuleFixtureCase fixture, CfeNode form)
    {
        foreach (var (field, expected) in fixture.Expect.Values)
        {
            var node = form.Find(field) ?? Fail<CfeNode>(fixture, $"the form has no field '{field}'");
            if (expected.ValueKind == JsonValueKind.Array)
            {
                var items = expected.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
                if (!items.SequenceEqual(node.Items))
                    Fail(fixture, $"'{field}' holds [{Quoted(node.Items)}], not [{Quoted(items)}]");
                continue;
            }
            var want = expected.ValueKind == JsonValueKind.String ? expected.GetString() : expected.GetRawText();
            var actual = node.Type == CfeTypes.Boolean ? (node.Checked ? "true" : "false") : node.Text;
            if (want != actual) Fail(fixture, $"'{field}' is '{actual}', not '{want}'");
        }
    }

    private static void CheckCommands(ModuleFixtureCase fixture, IReadOnlyList<IReadOnlyList<string>> expected,
        IReadOnlyList<IReadOnlyList<string>> actual)
    {
        if (expected.Count == actual.Count && expected.Zip(actual).All(pair => pair.First.SequenceEqual(pair.Second))) return;
        Fail(fixture, $"the action ran\n{Listing(actual)}\nbut the case expects\n{Listing(expected)}");
    }

    private static void CheckAfter(ModuleFixtureCase fixture, ModuleTestHost host)
    {
        foreach (var expectedFile in Directory.EnumerateFiles(fixture.AfterFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(fixture.AfterFolder, expectedFile).Replace('\\', '/');
            var written = host.RootPath(relative);
            if (!File.Exists(written)) Fail(fixture, $"/{relative} does not exist after the action");
            var (want, got) = (File.ReadAllBytes(expectedFile), File.ReadAllBytes(written));
            if (!want.AsSpan().SequenceEqual(got)) Fail(fixture, $"/{relative} differs from after/{relative}:\n" + TextDifference(want, got, relative));
        }
    }

    private static void CheckUnchanged(ModuleFixtureCase fixture, FileTreeSnapshot before, FileTreeSnapshot after)
    {
        var changed = before.ChangedIn(after);
        if (changed.Count > 0) Fail(fixture, "the action changed files it should have left alone: " + string.Join(", ", changed));
    }

    /// <summary>A unified diff where line ends and tabs show (a lossless edit is judged on them too).</summary>
    public static string TextDifference(byte[] expected, byte[] actual, string name)
    {
        static string Visible(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\r", "\\r").Replace("\t", "\\t");
        var diff = UnifiedDiff.Create(Visible(expected), Visible(actual), $"after/{name} (expected)", $"/{name} (after the action)");
        if (diff.Length > 0 && (expected.Length == 0 || expected[^1] == '\n') == (actual.Length == 0 || actual[^1] == '\n')) return diff;
        var at = expected.AsSpan().CommonPrefixLength(actual);
        return diff + $"(the bytes first differ at offset {at}; expected {expected.Length} bytes ending in " +
            $"{(expected.Length > 0 && expected[^1] == '\n' ? "a newline" : "no newline")}, got {actual.Length} " +
            $"ending in {(actual.Length > 0 && actual[^1] == '\n' ? "a newline" : "no newline")})";
    }

    private static string Quoted(IEnumerable<string> items) => string.Join(", ", items.Select(i => $"\"{i}\""));

    private static string Listing(IReadOnlyList<IReadOnlyList<string>> commands) =>
        commands.Count == 0 ? "  (no command)" : string.Join('\n', commands.Select(argv => $"  [{Quoted(argv)}]"));

    private static void Fail(ModuleFixtureCase fixture, string message) => throw new XunitException($"fixture {fixture.Id}: {message}");

    private static T Fail<T>(ModuleFixtureCase fixture, string message) => throw new XunitException($"fixture {fixture.Id}: {message}");
}
