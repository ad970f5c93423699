using System.Text.Json;

namespace Acf.Web.Api;

/// <summary>Writes a <see cref="CfeNode"/> back in ACF's shape: <c>{type, label, value, errtxt, ...}</c>, groups' values as
/// objects in order. A value whose bytes are not UTF-8 is <c>{"$bytes": base64}</c> (<see cref="ByteText"/>); posted back
/// the same way it reaches the module byte for byte.</summary>
public static class CfeJson
{
    public static void Write(Utf8JsonWriter json, CfeNode node)
    {
        json.WriteStartObject();
        json.WriteString("type", node.Type);
        WriteIfSet(json, "label", node.Label);
        WriteIfSet(json, "descr", node.Descr);
        WriteIfSet(json, "errtxt", node.Errtxt);
        WriteIfSet(json, "default", node.Default);
        WriteIfSet(json, "key", node.Key);
        if (node.Seq is { } seq) json.WriteNumber("seq", seq);
        if (node.Readonly) json.WriteBoolean("readonly", true);
        if (node.Min is { } min) json.WriteNumber("min", min);
        if (node.Max is { } max) json.WriteNumber("max", max);
        if (node.Submitted) json.WriteBoolean("submitted", true);
        WriteIfSet(json, "redirect", node.Redirect);
        WriteIfSet(json, "action", node.Action);
        json.WritePropertyName("value");
        switch (node.Type)
        {
            case CfeTypes.Group or CfeTypes.Form:
                json.WriteStartObject();
                foreach (var child in node.Children)
                {
                    json.WritePropertyName(child.Name);
                    Write(json, child);
                }
                json.WriteEndObject();
                break;
            case CfeTypes.Multi or CfeTypes.List:
                WriteStrings(json, node.Items);
                break;
            case CfeTypes.Boolean:
                json.WriteBooleanValue(node.Checked);
                break;
            case CfeTypes.Structure or CfeTypes.Chart:
                json.WriteStartArray();
                foreach (var row in node.Rows)
                {
                    json.WriteStartObject();
                    foreach (var column in node.Columns.Where(row.ContainsKey))
                    {
                        json.WritePropertyName(column);
                        ByteText.Write(json, row[column]);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WritePropertyName("columns");
                WriteStrings(json, node.Columns);
                break;
            // A rule table: its rows (columns only; a cell's error is in errtxt too) and its columns as fields with their
            // types and choices. A client posts it back as name.# (the count) and name.<column> (one list per column).
            case CfeTypes.Records:
                json.WriteStartArray();
                foreach (var row in node.Rows)
                {
                    json.WriteStartObject();
                    foreach (var column in node.Children)
                    {
                        json.WritePropertyName(column.Name);
                        ByteText.Write(json, row.GetValueOrDefault(column.Name, ""));
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WritePropertyName("fields");
                json.WriteStartArray();
                foreach (var column in node.Children) Write(json, column);
                json.WriteEndArray();
                break;
            case CfeTypes.Password:
                json.WriteStringValue(""); // a password never travels back out
                break;
            default:
                if (node.Text is null) json.WriteNullValue(); else ByteText.Write(json, node.Text);
                break;
        }
        if (node.Options.Count > 0)
        {
            json.WritePropertyName("option");
            json.WriteStartArray();
            foreach (var option in node.Options)
            {
                json.WriteStartObject();
                json.WritePropertyName("value");
                ByteText.Write(json, option.Value);
                json.WriteString("label", option.Label);
                WriteIfSet(json, "group", option.Group);
                WriteIfSet(json, "confirm", option.Confirm);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, IEnumerable<string> items)
    {
        json.WriteStartArray();
        foreach (var item in items) ByteText.Write(json, item);
        json.WriteEndArray();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }
}
