using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>Limits on items and attribute values that hold for every table.</summary>
public static class ItemRules
{
    public const int MaxItemSizeBytes = 400 * 1024;
    public const int MaxNestingDepth = 32;

    /// <summary>Checks every value of an item: no empty sets, no duplicate set members, nesting depth.</summary>
    public static void CheckValues(Item item)
    {
        foreach (var (_, value) in item) CheckValue(value, 1);
    }

    public static void CheckValue(AttributeValue value, int depth)
    {
        if (value.Type is AttributeType.M or AttributeType.L && depth > MaxNestingDepth)
            throw DynamoErrors.Validation("Nesting Levels have exceeded supported limits");
        switch (value.Type)
        {
            case AttributeType.SS:
                CheckSet(value.SS, StringComparer.Ordinal, DynamoErrors.EmptyStringSet, () => DynamoErrors.DuplicateStringSetMembers(value.SS));
                break;
            case AttributeType.NS:
                CheckSet(value.NS, EqualityComparer<DynamoNumber>.Default, DynamoErrors.EmptyNumberSet, DynamoErrors.DuplicateNumberSetMembers);
                break;
            case AttributeType.BS:
                CheckSet(value.BS, ByteArrayComparer.Instance, DynamoErrors.EmptyBinarySet,
                    () => DynamoErrors.DuplicateBinarySetMembers(value.BS.Select(Convert.ToBase64String)));
                break;
            case AttributeType.M: foreach (var (_, nested) in value.M) CheckValue(nested, depth + 1); break;
            case AttributeType.L: foreach (var nested in value.L) CheckValue(nested, depth + 1); break;
        }
    }

    private static void CheckSet<T>(IReadOnlyList<T> members, IEqualityComparer<T> comparer,
        Func<DynamoException> empty, Func<DynamoException> duplicates)
    {
        if (members.Count == 0) throw empty();
        if (new HashSet<T>(members, comparer).Count != members.Count) throw duplicates();
    }

    public static void CheckSize(Item item, string message = "Item size has exceeded the maximum allowed size")
    {
        if (item.SizeInBytes > MaxItemSizeBytes) throw DynamoErrors.Validation(message);
    }
}
