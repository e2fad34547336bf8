using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>Limits on items and attribute values that hold for every table.</summary>
public static class ItemRules
{
    public const int MaxItemSizeBytes = 400 * 1024;
    public const int MaxNestingDepth = 32;

    /// <summary>Attribute names, map keys included, are 1 to 65,535 UTF-8 bytes.</summary>
    public const int MaxAttributeNameBytes = 65_535;

    /// <summary>Checks every name and value of an item: name lengths, no empty sets, no duplicate set members, nesting depth.</summary>
    public static void CheckValues(Item item)
    {
        foreach (var (name, value) in item)
        {
            CheckName(name);
            CheckValue(value, 1);
        }
    }

    /// <summary>
    /// Names and nesting depth, at every depth: for items an update expression produced (its values were checked in the
    /// request, but a path can put a nested value deeper than it was).
    /// </summary>
    public static void CheckNames(Item item)
    {
        foreach (var (name, value) in item)
        {
            CheckName(name);
            CheckNested(value, 1);
        }
    }

    private static void CheckNested(AttributeValue value, int depth)
    {
        if (value.Type is AttributeType.M or AttributeType.L && depth > MaxNestingDepth) throw DynamoErrors.NestingTooDeep();
        if (value.Type == AttributeType.M)
            foreach (var (name, nested) in value.M) { CheckName(name); CheckNested(nested, depth + 1); }
        else if (value.Type == AttributeType.L)
            foreach (var nested in value.L) CheckNested(nested, depth + 1);
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0) throw DynamoErrors.EmptyAttributeName();
        // A name of up to 21,845 chars is at most 65,535 UTF-8 bytes; count bytes only for longer ones.
        if (name.Length > MaxAttributeNameBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(name) > MaxAttributeNameBytes)
            throw DynamoErrors.AttributeNameTooLarge();
    }

    public static void CheckValue(AttributeValue value, int depth)
    {
        if (value.Type is AttributeType.M or AttributeType.L && depth > MaxNestingDepth)
            throw DynamoErrors.NestingTooDeep();
        switch (value.Type)
        {
            case AttributeType.SS: ThrowIf(StringSetError(value.SS)); break;
            case AttributeType.NS: ThrowIf(NumberSetError(value.NS)); break;
            case AttributeType.BS: ThrowIf(BinarySetError(value.BS)); break;
            case AttributeType.M:
                foreach (var (name, nested) in value.M)
                {
                    CheckName(name);
                    CheckValue(nested, depth + 1);
                }
                break;
            case AttributeType.L: foreach (var nested in value.L) CheckValue(nested, depth + 1); break;
        }
    }

    // DynamoDB's rules for sets, shared by every reader of attribute values (HTTP JSON, the AWS SDK adapter,
    // the typed client): not empty, no duplicate members (numbers compared by value, binaries by content).

    public static DynamoException? StringSetError(IReadOnlyList<string> members) =>
        members.Count == 0 ? DynamoErrors.EmptyStringSet() :
        HasDuplicates(members, StringComparer.Ordinal) ? DynamoErrors.DuplicateStringSetMembers(members) :
        null;

    public static DynamoException? NumberSetError(IReadOnlyList<DynamoNumber> members) =>
        members.Count == 0 ? DynamoErrors.EmptyNumberSet() :
        HasDuplicates(members, EqualityComparer<DynamoNumber>.Default) ? DynamoErrors.DuplicateNumberSetMembers() :
        null;

    public static DynamoException? BinarySetError(IReadOnlyList<byte[]> members) =>
        members.Count == 0 ? DynamoErrors.EmptyBinarySet() :
        HasDuplicates(members, ByteArrayComparer.Instance) ? DynamoErrors.DuplicateBinarySetMembers(members.Select(Convert.ToBase64String)) :
        null;

    private static bool HasDuplicates<T>(IReadOnlyList<T> members, IEqualityComparer<T> comparer)
    {
        if (members.Count < 2) return false;
        var seen = new HashSet<T>(members.Count, comparer);
        foreach (var member in members)
            if (!seen.Add(member)) return true;
        return false;
    }

    private static void ThrowIf(DynamoException? error)
    {
        if (error is not null) throw error;
    }

    /// <param name="updating">An update's result (DynamoDB words that error its own way).</param>
    public static void CheckSize(Item item, bool updating = false)
    {
        if (item.SizeInBytes > MaxItemSizeBytes) throw updating ? DynamoErrors.UpdatedItemTooLarge() : DynamoErrors.ItemTooLarge();
    }
}
