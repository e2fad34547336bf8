using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>
/// Picks document paths out of an item, as ProjectionExpression does: nested members come back
/// inside their maps, and selected list elements come back as a shorter list in index order.
/// </summary>
internal static class Projector
{
    private sealed class Selection
    {
        public bool Whole;
        public Dictionary<string, Selection>? Members;
        public SortedDictionary<int, Selection>? Elements;
    }

    public static Item Project(Item item, IEnumerable<PathStep[]> paths)
    {
        var top = new Dictionary<string, Selection>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var selection = GetOrAdd(top, path[0].Name!);
            for (var i = 1; i < path.Length && !selection.Whole; i++)
            {
                var step = path[i];
                selection = step.IsIndex
                    ? GetOrAdd(selection.Elements ??= [], step.Index)
                    : GetOrAdd(selection.Members ??= new(StringComparer.Ordinal), step.Name!);
            }
            selection.Whole = true;
        }
        var result = new List<KeyValuePair<string, AttributeValue>>(top.Count);
        foreach (var (name, selection) in top)
            if (item.TryGetValue(name, out var value) && Extract(value, selection) is { } picked)
                result.Add(new(name, picked));
        return new Item(result);
    }

    private static Selection GetOrAdd<TKey>(IDictionary<TKey, Selection> selections, TKey key)
    {
        if (!selections.TryGetValue(key, out var selection)) selections[key] = selection = new Selection();
        return selection;
    }

    private static AttributeValue? Extract(AttributeValue value, Selection selection)
    {
        if (selection.Whole) return value;
        if (value.Type == AttributeType.M && selection.Members is { } members)
        {
            var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            foreach (var (name, child) in members)
                if (value.M.TryGetValue(name, out var member) && Extract(member, child) is { } picked)
                    map[name] = picked;
            return map.Count == 0 ? null : AttributeValue.FromM(map);
        }
        if (value.Type == AttributeType.L && selection.Elements is { } elements)
        {
            var list = new List<AttributeValue>();
            foreach (var (index, child) in elements)
                if (index < value.L.Count && Extract(value.L[index], child) is { } picked)
                    list.Add(picked);
            return list.Count == 0 ? null : AttributeValue.FromL(list);
        }
        return null;
    }
}
