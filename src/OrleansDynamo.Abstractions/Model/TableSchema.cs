namespace OrleansDynamo.Model;

/// <summary>A key attribute of a table: its name and scalar type (S, N or B).</summary>
[GenerateSerializer, Immutable, Alias("odyn.KeyAttribute")]
public sealed record KeyAttribute([property: Id(0)] string Name, [property: Id(1)] AttributeType Type);

/// <summary>The key schema of a table: a partition (hash) key and an optional sort (range) key.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableSchema")]
public sealed record TableSchema([property: Id(0)] KeyAttribute HashKey, [property: Id(1)] KeyAttribute? RangeKey)
{
    public IEnumerable<KeyAttribute> KeyAttributes => RangeKey is null ? [HashKey] : [HashKey, RangeKey];

    public IReadOnlyCollection<string> KeyAttributeNames => RangeKey is null ? [HashKey.Name] : [HashKey.Name, RangeKey.Name];

    /// <summary>The key attributes of an item that is known to carry them.</summary>
    public Item KeyOf(Item item) => new(KeyAttributes.Select(k => KeyValuePair.Create(k.Name, item[k.Name])));
}
