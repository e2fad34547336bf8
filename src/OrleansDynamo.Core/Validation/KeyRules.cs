using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>Checks keys and items against a table's key schema, with DynamoDB's messages.</summary>
public static class KeyRules
{
    public const int MaxHashKeyBytes = 2048;
    public const int MaxRangeKeyBytes = 1024;

    /// <summary>A full item (PutItem): carries every key attribute with the declared type.</summary>
    public static void CheckItem(Item item, TableSchema schema)
    {
        foreach (var key in schema.KeyAttributes)
        {
            if (!item.TryGetValue(key.Name, out var value))
                throw DynamoErrors.MissingKeyInItem(key.Name);
            if (value.Type != key.Type)
                throw DynamoErrors.KeyTypeMismatch(key.Name, key.Type, value.Type);
            CheckKeyValue(key.Name, value, key == schema.HashKey);
        }
    }

    /// <summary>A key (GetItem, DeleteItem, UpdateItem): exactly the key attributes, with the declared types.</summary>
    /// <param name="mismatch">The error for a key that does not match the schema; DynamoDB's usual one when null.</param>
    public static void CheckKey(Item key, TableSchema schema, Func<DynamoException>? mismatch = null)
    {
        mismatch ??= DynamoErrors.KeyMismatch;
        if (key.Count != schema.KeyAttributeNames.Count) throw mismatch();
        foreach (var attribute in schema.KeyAttributes)
        {
            if (!key.TryGetValue(attribute.Name, out var value) || value.Type != attribute.Type)
                throw mismatch();
            CheckKeyValue(attribute.Name, value, attribute == schema.HashKey);
        }
    }

    /// <summary>The bytes a key value counts against the key size limits; -1 for a number, which has none.</summary>
    public static int SizeOf(AttributeValue value) => value.Type switch
    {
        AttributeType.S => Encoding.UTF8.GetByteCount(value.S),
        AttributeType.B => value.B.Length,
        _ => -1,
    };

    private static void CheckKeyValue(string name, AttributeValue value, bool isHash)
    {
        var size = SizeOf(value);
        if (size == 0)
            throw DynamoErrors.EmptyKeyValue(value.Type, name);
        if (isHash && size > MaxHashKeyBytes)
            throw DynamoErrors.HashKeyTooLarge();
        if (!isHash && size > MaxRangeKeyBytes)
            throw DynamoErrors.RangeKeyTooLarge();
    }
}
