using System.Collections.Frozen;
using Microsoft.AspNetCore.Components.Rendering;
using static Acf.Web.Components.Renderer.CfeFormState;

namespace Acf.Web.Components.Renderer.Fields;

/// <summary>
/// The one place that says, for each CFE type, how the form keeps its value and which component draws it. A new type
/// is a row here and its component (a <see cref="CfeFieldBase"/>); nothing else chooses a component by type.
/// </summary>
public static class CfeFields
{
    /// <summary>How a type is kept and drawn: <paramref name="Kind"/> in <see cref="CfeFormState"/>,
    /// <paramref name="Input"/> inside a form, <paramref name="Shown"/> in an entity that is not a form (null: not drawn).</summary>
    public sealed record Entry(FieldKind Kind, Type Input, Type? Shown);

    /// <summary>text, and any type this renderer does not know: an ordinary text field.</summary>
    private static readonly Entry Text = new(FieldKind.Scalar, typeof(CfeTextField), typeof(CfeValueField));

    private static readonly FrozenDictionary<string, Entry> Table = new Dictionary<string, Entry>
    {
        // type: how the form keeps its value, the component in a form, the component in an entity that is not a form
        [CfeTypes.Text] = Text,
        [CfeTypes.Longtext] = new(FieldKind.Scalar, typeof(CfeTextField), typeof(CfeValueField)),
        [CfeTypes.Password] = new(FieldKind.Password, typeof(CfeTextField), typeof(CfeValueField)),
        [CfeTypes.List] = new(FieldKind.List, typeof(CfeTextField), typeof(CfeValueField)),
        [CfeTypes.Hidden] = new(FieldKind.Scalar, typeof(CfeHiddenField), null),
        [CfeTypes.Select] = new(FieldKind.Scalar, typeof(CfeSelectField), typeof(CfeValueField)),
        [CfeTypes.Integer] = new(FieldKind.Scalar, typeof(CfeIntegerField), typeof(CfeValueField)),
        [CfeTypes.File] = new(FieldKind.Upload, typeof(CfeFileField), typeof(CfeValueField)),
        [CfeTypes.Boolean] = new(FieldKind.Boolean, typeof(CfeBooleanField), typeof(CfeValueField)),
        [CfeTypes.Multi] = new(FieldKind.Multi, typeof(CfeMultiField), typeof(CfeValueField)),
        [CfeTypes.Group] = new(FieldKind.Container, typeof(CfeGroupField), typeof(CfeGroupField)),
        [CfeTypes.Form] = new(FieldKind.Container, typeof(CfeGroupField), typeof(CfeGroupField)),
        [CfeTypes.Link] = new(FieldKind.Display, typeof(CfeLinkField), typeof(CfeLinkField)),
        [CfeTypes.Raw] = new(FieldKind.Display, typeof(CfeRawField), typeof(CfeRawField)),
        [CfeTypes.Structure] = new(FieldKind.Display, typeof(CfeStructure), typeof(CfeStructure)),
        [CfeTypes.Chart] = new(FieldKind.Display, typeof(CfeChart), typeof(CfeChart)),
        [CfeTypes.QrCode] = new(FieldKind.Display, typeof(CfeQrCodeView), typeof(CfeQrCodeView)),
        [CfeTypes.Records] = new(FieldKind.Records, typeof(CfeRecords), typeof(CfeRecords)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The types this table knows.</summary>
    public static IReadOnlyCollection<string> Types => Table.Keys;

    /// <summary>The row for <paramref name="type"/>; an unknown type is drawn and kept as text.</summary>
    public static Entry Of(string type) => Table.GetValueOrDefault(type, Text);

    /// <summary>
    /// The fields <paramref name="nodes"/>, each keyed by its name, as the component its type's row names, opened
    /// here with the shared parameters: no component between a parent and its fields (issue 19: each component costs
    /// every open tab memory).
    /// </summary>
    public static RenderFragment Draw(IEnumerable<CfeNode> nodes, string prefix, CfeFormState? state, bool parentReadonly) =>
        builder =>
        {
            foreach (var node in nodes) Open(builder, node, prefix, state, parentReadonly);
        };

    private static void Open(RenderTreeBuilder builder, CfeNode node, string prefix, CfeFormState? state, bool parentReadonly)
    {
        var entry = Of(node.Type);
        if ((state is null ? entry.Shown : entry.Input) is not { } component) return;
        builder.OpenComponent(0, component);
        builder.AddComponentParameter(1, nameof(CfeFieldBase.Node), node);
        builder.AddComponentParameter(2, nameof(CfeFieldBase.Prefix), prefix);
        builder.AddComponentParameter(3, nameof(CfeFieldBase.State), state);
        builder.AddComponentParameter(4, nameof(CfeFieldBase.ParentReadonly), parentReadonly);
        builder.SetKey(node.Name);
        builder.CloseComponent();
    }
}
