using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Acf.Web.Hosting;

/// <summary>
/// A module action's input from an address, as ACF passed it: the query (<c>?name=nginx</c>, which item the page is
/// about) is a read's input, for a module page and for <c>GET /api/...</c> alike; a page's submit is the form's fields
/// plus the query's values the form does not send.
/// </summary>
public static class ModuleQuery
{
    /// <summary>The query string of <paramref name="uri"/> as the action's input; never a submit.</summary>
    public static ModuleInput Input(string uri) => Input(QueryHelpers.ParseQuery(new Uri(uri).Query));

    /// <summary>A parsed query (a request's) as the action's input; never a submit: <c>submit</c> is left out.</summary>
    public static ModuleInput Input(IEnumerable<KeyValuePair<string, StringValues>> query) =>
        new(query.Where(q => q.Key != "submit")
            .ToDictionary(q => q.Key, q => (IReadOnlyList<string>)q.Value.Select(v => v ?? "").ToList()));

    /// <summary>
    /// A submit as an HTML form posted to the page's own address gives it: the form's fields, and the query's values
    /// for names the form does not submit, such as a readonly field.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> WithQuery(
        IReadOnlyDictionary<string, IReadOnlyList<string>> submitted, string uri)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(submitted, StringComparer.Ordinal);
        foreach (var (name, query) in Input(uri).Values) values.TryAdd(name, query);
        return values;
    }
}
