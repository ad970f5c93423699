using Microsoft.Extensions.Localization;

namespace Acf.Web.Components.Renderer.Fields;

/// <summary>
/// What every field component shares: its four parameters (the node, where it sits, the form's values, a readonly
/// parent), its dotted name and DOM id, when it is readonly, its label and hints, and the description and error lines
/// (<c>CfeFieldBase.razor</c>). <see cref="CfeFields"/> opens the component for a node's type with these parameters.
/// </summary>
public abstract partial class CfeFieldBase : ComponentBase
{
    [Parameter, EditorRequired]
    public CfeNode Node { get; set; } = default!;

    /// <summary>The dotted name of the parent group ("" at the top of a form).</summary>
    [Parameter]
    public string Prefix { get; set; } = "";

    /// <summary>The form's values; null draws the field read-only, as text.</summary>
    [Parameter]
    public CfeFormState? State { get; set; }

    /// <summary>True inside a readonly group.</summary>
    [Parameter]
    public bool ParentReadonly { get; set; }

    [Inject]
    protected IStringLocalizer<CfeView> L { get; set; } = default!;

    /// <summary>A text or raw block: monospace, wrapped, scrolled when long.</summary>
    protected const string MonospaceBlock =
        "font-family: monospace; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 32rem; overflow: auto;";

    protected string Path => CfeIds.Path(Prefix, Node.Name);

    protected string Id => CfeIds.Field(Path);

    /// <summary>A field holding bytes that are not UTF-8 (<see cref="ByteText"/>) is shown escaped and read-only: the
    /// browser could not give them back, so the form submits the value it holds, byte for byte.</summary>
    protected bool IsReadonly => Node.Readonly || ParentReadonly || HoldsRawBytes;

    private bool HoldsRawBytes => ByteText.HasRawBytes(Node.Text) || Node.Items.Any(ByteText.HasRawBytes);

    protected string? RawBytesHelp => HoldsRawBytes
        ? L["Holds bytes that are not UTF-8, shown as \\xNN and kept as they are; change it on the expert page."].Value
        : null;

    protected string? Shown(string? value) => HoldsRawBytes ? ByteText.Escaped(value) : value;

    protected bool HasError => !string.IsNullOrEmpty(Node.Errtxt);

    protected string LabelText => string.IsNullOrEmpty(Node.Label) ? Node.Name : Node.Label;

    protected string? DefaultHint => Node.Default is null ? null : L["Default: {0}", Node.Default].Value;

    protected string OptionLabel(string? value) =>
        value is null ? "" : ByteText.Escaped(Node.Options.FirstOrDefault(o => o.Value == value)?.Label ?? value);
}
