using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>What BatchGetItem and BatchWriteItem check alike: the RequestItems map and duplicate keys.</summary>
internal static class BatchRules
{
    private const string TableNameConstraints =
        "[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]";

    /// <summary>RequestItems present and not empty; its table names valid (reported once for the whole map, as DynamoDB does).</summary>
    public static void CheckRequestItems<T>(Violations violations, IReadOnlyDictionary<string, T>? requestItems)
    {
        violations.NotNull(requestItems, "requestItems");
        if (requestItems is null) return;
        if (requestItems.Count == 0)
            violations.Add("{}", "requestItems", "Member must have length greater than or equal to 1");
        if (requestItems.Keys.Any(name => !Violations.IsValidTableNameOrArn(name)))
            violations.Add(Echo(requestItems), "requestItems", "Map keys must satisfy constraint: " + TableNameConstraints);
    }

    /// <summary>Java's Map.toString, which DynamoDB echoes in map-level constraint violations (values shortened).</summary>
    public static string Echo<T>(IReadOnlyDictionary<string, T> map) =>
        "{" + string.Join(", ", map.Select(e => $"{e.Key}={(e.Value is System.Collections.ICollection c ? $"[{c.Count} members]" : "...")}")) + "}";

    /// <summary>Key equality by value (numbers by value, binaries by content), for duplicate detection.</summary>
    public sealed class KeyEquality : IEqualityComparer<Item>
    {
        public static readonly KeyEquality Instance = new();

        public bool Equals(Item? x, Item? y) =>
            x is not null && y is not null && x.Count == y.Count &&
            x.All(a => y.TryGetValue(a.Key, out var other) && a.Value.Equals(other));

        public int GetHashCode(Item key)
        {
            var hash = 0;
            foreach (var (name, value) in key) hash ^= HashCode.Combine(name, value);
            return hash;
        }
    }
}
