using MudBlazor;

namespace Acf.Web.Components.Renderer;

/// <summary>A button's question before it runs (a form's submit or a table row's button): the button's own label is the yes.</summary>
public static class CfeConfirm
{
    /// <returns>True when the admin agreed, or when there is nothing to ask.</returns>
    public static async Task<bool> AskAsync(IDialogService dialogs, CfeOption button, string? question, string cancel)
    {
        if (string.IsNullOrEmpty(question)) return true;
        var label = string.IsNullOrEmpty(button.Label) ? button.Value : button.Label;
        var answer = await dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = label,
            Message = question,
            YesText = label,
            CancelText = cancel,
        }, new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small });
        return answer == true;
    }
}
