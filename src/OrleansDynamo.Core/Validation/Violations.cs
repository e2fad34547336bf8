using OrleansDynamo.Errors;

namespace OrleansDynamo.Validation;

/// <summary>
/// Collects DynamoDB's constraint violations ("Value 'x' at 'tableName' failed to satisfy constraint: ...")
/// so that one request reports all of them in one ValidationException, as DynamoDB does.
/// </summary>
public sealed class Violations
{
    private readonly List<string> _messages = [];

    public void Add(object? value, string member, string constraint) =>
        _messages.Add($"Value {Quote(value)} at '{member}' failed to satisfy constraint: {constraint}");

    public void NotNull(object? value, string member)
    {
        if (value is null) Add(null, member, "Member must not be null");
    }

    /// <summary>A table name, or the table's ARN (which stands for its name wherever a name does).</summary>
    public void TableName(string? name, string member = "tableName", bool required = true)
    {
        if (name is null || !IsTableArn(name)) IndexName(name, member, required);
    }

    /// <summary>An index name: 3 to 255 of [a-zA-Z0-9_.-], the rule a table name follows when it is not an ARN.</summary>
    public void IndexName(string? name, string member, bool required = true)
    {
        if (name is null)
        {
            if (required) NotNull(name, member);
            return;
        }
        if (!IsValidName(name)) Add(name, member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        if (name.Length < 3) Add(name, member, "Member must have length greater than or equal to 3");
        if (name.Length > 255) Add(name, member, "Member must have length less than or equal to 255");
    }

    /// <summary>Provisioned throughput given: both units, each at least 1.</summary>
    public void Throughput(Model.ProvisionedThroughput? throughput, string member)
    {
        if (throughput is null) return;
        NotNull(throughput.WriteCapacityUnits, member + ".writeCapacityUnits");
        NotNull(throughput.ReadCapacityUnits, member + ".readCapacityUnits");
        Range(throughput.WriteCapacityUnits, member + ".writeCapacityUnits", 1, long.MaxValue);
        Range(throughput.ReadCapacityUnits, member + ".readCapacityUnits", 1, long.MaxValue);
    }

    /// <summary>AttributeDefinitions' members: a name of 1 to 255 characters and a scalar type.</summary>
    public void AttributeDefinitions(IReadOnlyList<Model.AttributeDefinition>? definitions, int maxNameLength)
    {
        for (var i = 0; i < (definitions?.Count ?? 0); i++)
        {
            var definition = definitions![i];
            NotNull(definition.AttributeName, $"attributeDefinitions.{i + 1}.member.attributeName");
            Length(definition.AttributeName, $"attributeDefinitions.{i + 1}.member.attributeName", 1, maxNameLength);
            NotNull(definition.AttributeType, $"attributeDefinitions.{i + 1}.member.attributeType");
            Enum(definition.AttributeType, $"attributeDefinitions.{i + 1}.member.attributeType", "B", "N", "S");
        }
    }

    public void Length(string? value, string member, int min, int max)
    {
        if (value is null) return;
        if (value.Length < min) Add(value, member, $"Member must have length greater than or equal to {min}");
        else if (value.Length > max) Add(value, member, $"Member must have length less than or equal to {max}");
    }

    public void Enum(string? value, string member, params string[] allowed)
    {
        if (value is not null && Array.IndexOf(allowed, value) < 0)
            Add(value, member, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }

    public void Range(long? value, string member, long min, long max)
    {
        if (value < min) Add(value, member, $"Member must have value greater than or equal to {min}");
        else if (value > max) Add(value, member, $"Member must have value less than or equal to {max}");
    }

    /// <summary>Throws the collected violations, if any.</summary>
    public void ThrowIfAny()
    {
        if (_messages.Count > 0) throw DynamoErrors.ConstraintViolations(_messages);
    }

    /// <summary>A table name, or a table's ARN, which stands for its name wherever a name does, as DynamoDB allows.</summary>
    public static bool IsValidTableNameOrArn(string name) => IsValidTableName(name) || IsTableArn(name);

    private static bool IsTableArn(string name) =>
        name.StartsWith("arn:", StringComparison.Ordinal) && name.Length <= TableArns.MaxLength && TableArns.TryTableOf(name, out _);

    /// <summary>DynamoDB's table and index name rule: 3 to 255 of [a-zA-Z0-9_.-].</summary>
    public static bool IsValidTableName(string name) => name.Length is >= 3 and <= 255 && IsValidName(name);

    private static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '-');

    private static string Quote(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        bool b => $"'{(b ? "true" : "false")}'",
        _ => $"'{value}'",
    };
}
