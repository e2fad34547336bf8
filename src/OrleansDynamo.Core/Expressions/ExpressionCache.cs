using System.Collections.Concurrent;

namespace OrleansDynamo.Expressions;

/// <summary>
/// Parsed expression trees by (kind, text). Trees do not depend on ExpressionAttributeNames/Values,
/// so requests that send the same expression text share one parse. Only successful parses are kept.
/// </summary>
internal static class ExpressionCache
{
    /// <summary>Upper bound on cached trees; the cache is simply emptied when it is reached.</summary>
    public const int Capacity = 10_000;

    private static readonly ConcurrentDictionary<(ExpressionKind Kind, string Text), object> Trees = new();

    public static int Count => Trees.Count;

    public static ParsedCondition Condition(string text, ExpressionKind kind) =>
        (ParsedCondition)GetOrParse(kind, text, static (t, k) => ExpressionParser.ParseCondition(t, k));

    public static ParsedUpdate Update(string text) =>
        (ParsedUpdate)GetOrParse(ExpressionKind.UpdateExpression, text, static (t, _) => ExpressionParser.ParseUpdate(t));

    public static ParsedProjection Projection(string text) =>
        (ParsedProjection)GetOrParse(ExpressionKind.ProjectionExpression, text, static (t, _) => ExpressionParser.ParseProjection(t));

    private static object GetOrParse(ExpressionKind kind, string text, Func<string, ExpressionKind, object> parse)
    {
        if (Trees.TryGetValue((kind, text), out var tree)) return tree;
        tree = parse(text, kind);
        if (Trees.Count >= Capacity) Trees.Clear();
        Trees.TryAdd((kind, text), tree);
        return tree;
    }
}
