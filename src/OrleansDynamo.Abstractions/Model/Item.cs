using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace OrleansDynamo.Model;

/// <summary>A DynamoDB item: attribute names to values. Immutable once built.</summary>
[GenerateSerializer, Immutable, Alias("odyn.Item")]
public sealed class Item : IReadOnlyDictionary<string, AttributeValue>
{
    [Id(0)] private readonly Dictionary<string, AttributeValue> _attributes;

    public Item(IEnumerable<KeyValuePair<string, AttributeValue>> attributes) =>
        _attributes = new Dictionary<string, AttributeValue>(attributes, StringComparer.Ordinal);

    public static Item Empty { get; } = new([]);

    public AttributeValue this[string key] => _attributes[key];
    public IEnumerable<string> Keys => _attributes.Keys;
    public IEnumerable<AttributeValue> Values => _attributes.Values;
    public int Count => _attributes.Count;
    public bool ContainsKey(string key) => _attributes.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out AttributeValue value) => _attributes.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, AttributeValue>> GetEnumerator() => _attributes.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The size plus one, computed once: the item is immutable and its size is asked for several times per
    // request. Zero means not yet, which is also what a deserialized item (built without a constructor) holds.
    [NonSerialized] private int _sizePlusOne;

    /// <summary>DynamoDB's item size: each attribute name's UTF-8 length plus its value's size.</summary>
    public int SizeInBytes => (_sizePlusOne > 0
        ? _sizePlusOne
        : _sizePlusOne = 1 + _attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + a.Value.SizeInBytes)) - 1;

    /// <summary>A copy with some attributes set and some removed.</summary>
    public Item With(IEnumerable<KeyValuePair<string, AttributeValue>>? set = null, IEnumerable<string>? remove = null)
    {
        var copy = new Dictionary<string, AttributeValue>(_attributes, StringComparer.Ordinal);
        foreach (var name in remove ?? []) copy.Remove(name);
        foreach (var (name, value) in set ?? []) copy[name] = value;
        return new Item(copy);
    }

    public override string ToString() => "{" + string.Join(", ", _attributes.Select(a => $"{a.Key}={a.Value}")) + "}";
}
