using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

public static class TableSchemas
{
    /// <summary>The key schema of a validated table description.</summary>
    public static TableSchema From(TableDescription description)
    {
        KeyAttribute Attribute(KeySchemaElement element)
        {
            var type = description.AttributeDefinitions!.First(d => d.AttributeName == element.AttributeName).AttributeType;
            return new KeyAttribute(element.AttributeName!, Enum.Parse<AttributeType>(type!));
        }
        var hash = description.KeySchema!.First(k => k.KeyType == "HASH");
        var range = description.KeySchema!.FirstOrDefault(k => k.KeyType == "RANGE");
        return new TableSchema(Attribute(hash), range is null ? null : Attribute(range));
    }
}
