using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Acf.Web.Components.Pages;

/// <summary>What a table row's button did (sshd stopped; refused), said above the list it belongs to.</summary>
public sealed record RowResult(string Text, Severity Severity);

/// <summary>What a module page says about a run, in the user's words: why it gave no answer, what a row's button did.</summary>
public sealed class RunMessages(IStringLocalizer<ModulePage> L, HostActions hostActions, ActionTitles titles)
{
    /// <summary>Why a run of <paramref name="controller"/>/<paramref name="action"/> gave no answer; null when it ran.</summary>
    public string? ErrorOf(RunResult result, string controller, string action) =>
        result.Status switch
        {
            RunStatus.Ok => null,
            RunStatus.Busy => hostActions.PendingApply is { } pending
                ? L["Nothing was saved: {0} is waiting to be kept or rolled back (see above). Settle it, then save again.", titles.Describe(pending.Module, pending.Action)].Value
                : L["Nothing was saved: a change was being settled. Save again."].Value,
            RunStatus.Forbidden => L["You are not allowed to use this page: your roles do not grant {0}.", $"{controller}/{action}"].Value,
            RunStatus.NotFound => L["There is no such page."].Value,
            RunStatus.TooLarge or RunStatus.TooManyActions => result.Error,
            _ => L["The module failed: {0}", result.Error ?? ""].Value,
        };

    /// <summary>
    /// The answer of a row's button that ran <paramref name="controller"/>/<paramref name="action"/>:
    /// <paramref name="shown"/> is its entity in the user's language.
    /// </summary>
    public RowResult RowAnswer(RunResult result, CfeNode? shown, string controller, string action)
    {
        var answer = result.Status != RunStatus.Ok ? new RowResult(ErrorOf(result, controller, action) ?? "", Severity.Error)
            : shown!.Succeeded ? new RowResult(shown.Descr ?? L["Done."].Value, Severity.Success)
            : new RowResult(shown.Errtxt ?? L["Done."].Value, Severity.Error);
        return result.Status == RunStatus.Busy ? answer with { Severity = Severity.Warning } : answer;
    }

    /// <summary>Work the page started on its own (a reload, a refresh) failed: the page says so instead of going quiet.</summary>
    public string Failed(Exception failure) => L["The page could not be read again: {0}", failure.Message].Value;
}
