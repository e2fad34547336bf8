using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansDynamo.Security;

/// <summary>
/// A principal's policy in a subset of IAM's JSON: statements with <c>Effect</c> (Allow or Deny), <c>Action</c> and
/// <c>Resource</c> (a string or a list, with <c>*</c> and <c>?</c> wildcards). As in IAM, an explicit Deny wins,
/// then an Allow, and whatever no statement allows is denied. Actions match without regard to case, resources
/// exactly.
/// </summary>
public sealed class AccessPolicy
{
    private readonly IReadOnlyList<Statement> _statements;

    private AccessPolicy(IReadOnlyList<Statement> statements) => _statements = statements;

    /// <summary>A policy that allows nothing.</summary>
    public static AccessPolicy DenyAll { get; } = new([]);

    public enum Decision { Allowed, NotAllowed, ExplicitlyDenied }

    public Decision Evaluate(string action, string resource)
    {
        var allowed = false;
        foreach (var statement in _statements)
        {
            if (!statement.Matches(action, resource)) continue;
            if (!statement.Allow) return Decision.ExplicitlyDenied;
            allowed = true;
        }
        return allowed ? Decision.Allowed : Decision.NotAllowed;
    }

    /// <summary>Reads <c>{"Statement": [...]}</c> (or a single statement object); throws <see cref="FormatException"/> on anything else.</summary>
    public static AccessPolicy Parse(JsonElement policy)
    {
        if (policy.ValueKind != JsonValueKind.Object || !policy.TryGetProperty("Statement", out var statements))
            throw new FormatException("a policy is an object with a \"Statement\" list");
        var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
        return new AccessPolicy(list.Select(ParseStatement).ToList());
    }

    private static Statement ParseStatement(JsonElement statement)
    {
        var effect = statement.TryGetProperty("Effect", out var e) ? e.GetString() : null;
        if (effect is not ("Allow" or "Deny")) throw new FormatException("a statement's \"Effect\" is \"Allow\" or \"Deny\"");
        return new Statement(effect == "Allow",
            Strings(statement, "Action").Select(a => Pattern(a, ignoreCase: true)).ToList(),
            Strings(statement, "Resource").Select(r => Pattern(r, ignoreCase: false)).ToList());
    }

    private static IEnumerable<string> Strings(JsonElement statement, string member)
    {
        if (!statement.TryGetProperty(member, out var value)) throw new FormatException($"a statement needs \"{member}\"");
        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetString() ?? throw new FormatException($"\"{member}\" holds strings")).ToList(),
            _ => throw new FormatException($"\"{member}\" is a string or a list of strings"),
        };
    }

    // IAM's wildcards: * any run of characters, ? any one character.
    private static Regex Pattern(string wildcard, bool ignoreCase) =>
        new("^" + Regex.Escape(wildcard).Replace("\\*", ".*").Replace("\\?", ".") + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));

    private sealed record Statement(bool Allow, IReadOnlyList<Regex> Actions, IReadOnlyList<Regex> Resources)
    {
        public bool Matches(string action, string resource) =>
            Actions.Any(a => a.IsMatch(action)) && Resources.Any(r => r.IsMatch(resource));
    }
}
