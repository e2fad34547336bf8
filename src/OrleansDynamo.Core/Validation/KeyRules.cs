using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>Checks keys and items against a table's key schema, with DynamoDB's messages.</summary>
public static class KeyRules
{
    public const int MaxHashKeyBytes = 2048;
    public const int MaxRangeKeyBytes = 1024;
    private const string KeyMismatch = "The provided key element does not match the schema";

    /// <summary>A full item (PutItem): carries every key attribute with the declared type.</summary>
    public static void CheckItem(Item item, TableSchema schema)
    {
        foreach (var key in schema.KeyAttributes)
        {
            if (!item.TryGetValue(key.Name, out var value))
                throw DynamoErrors.Validation($"One or more parameter values were invalid: Missing the key {key.Name} in the item");
            if (value.Type != key.Type)
                throw DynamoErrors.Validation($"One or more parameter values were invalid: Type mismatch for key {key.Name} expected: {key.Type} actual: {value.Type}");
            CheckKeyValue(key.Name, value, key == schema.HashKey);
        }
    }

    /// <summary>A key (GetItem, DeleteItem, UpdateItem): exactly the key attributes, with the declared types.</summary>
    public static void CheckKey(Item key, TableSchema schema, string mismatchMessage = KeyMismatch)
    {
        if (key.Count != schema.KeyAttributeNames.Count) throw DynamoErrors.Validation(mismatchMessage);
        foreach (var attribute in schema.KeyAttributes)
        {
            if (!key.TryGetValue(attribute.Name, out var value) || value.Type != attribute.Type)
                throw DynamoErrors.Validation(mismatchMessage);
            CheckKeyValue(attribute.Name, value, attribute == schema.HashKey);
        }
    }

    private static void CheckKeyValue(string name, AttributeValue value, bool isHash)
    {
        var size = value.Type switch
        {
            AttributeType.S => Encoding.UTF8.GetByteCount(value.S),
            AttributeType.B => value.B.Length,
            _ => -1,
        };
        if (size == 0)
            throw DynamoErrors.Validation(
                $"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {(value.Type == AttributeType.S ? "string" : "binary")} value. Key: {name}");
        if (isHash && size > MaxHashKeyBytes)
            throw DynamoErrors.Validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes");
        if (!isHash && size > MaxRangeKeyBytes)
            throw DynamoErrors.Validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    }
}
