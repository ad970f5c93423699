using MudBlazor;

namespace Acf.Web.Components.Renderer;

/// <summary>
/// The one generic renderer: draws any CFE a module returns. A <c>form</c> becomes editable fields with submit
/// buttons that raise <see cref="OnSubmit"/>; any other entity is shown read-only.
/// </summary>
public partial class CfeView
{
    /// <summary>The entity to draw. Passing a new instance resets the fields to its values.</summary>
    [Parameter, EditorRequired]
    public CfeNode Entity { get; set; } = default!;

    /// <summary>Raised when a form's submit button is pressed.</summary>
    [Parameter]
    public EventCallback<CfeSubmission> OnSubmit { get; set; }

    /// <summary>True while the page is running an action: the submit buttons are disabled.</summary>
    [Parameter]
    public bool Busy { get; set; }

    /// <summary>The step the running save is in, as the module names it (<c>acf.progress</c>); null when none.</summary>
    [Parameter]
    public string? Step { get; set; }

    private CfeNode? _loaded;
    private CfeFormState? _state;
    private int _generation;
    private bool _submitting;
    private string? _pressed;

    protected override void OnParametersSet()
    {
        // Records compare by value; only a new instance (a new answer from the module) resets what the user typed.
        if (ReferenceEquals(Entity, _loaded)) return;
        _loaded = Entity;
        _state = Entity.Type == CfeTypes.Form ? CfeFormState.From(Entity) : null;
        _generation++;
    }

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private async Task SubmitAsync(CfeOption button)
    {
        if (_state is null || Busy || _submitting) return;
        _submitting = true;
        _pressed = button.Value;
        try
        {
            if (!await CfeConfirm.AskAsync(Dialogs, button, button.Confirm, L["Cancel"].Value)) return;
            await OnSubmit.InvokeAsync(new CfeSubmission(button.Value, _state.Collect(Entity)));
        }
        finally
        {
            _submitting = false;
        }
    }
}
