using OrleansDynamo.Model;

namespace OrleansDynamo.Errors;

/// <summary>The one place DynamoDB errors are made, with DynamoDB's wording.</summary>
public static class DynamoErrors
{
    public static DynamoException Validation(string message) => new(DynamoErrorTypes.Validation, message);

    /// <summary>DynamoDB's constraint-violation wording: "1 validation error detected: ...".</summary>
    public static DynamoException ConstraintViolations(IReadOnlyList<string> violations) =>
        Validation($"{violations.Count} validation error{(violations.Count == 1 ? "" : "s")} detected: {string.Join("; ", violations)}");

    public static DynamoException Serialization(string message) => new(DynamoErrorTypes.Serialization, message);

    public static DynamoException UnknownOperation() => new(DynamoErrorTypes.UnknownOperation, "");

    public static DynamoException ResourceNotFound(string message = "Requested resource not found") =>
        new(DynamoErrorTypes.ResourceNotFound, message);

    public static DynamoException TableNotFound(string tableName) =>
        ResourceNotFound($"Requested resource not found: Table: {tableName} not found");

    public static DynamoException ResourceInUse(string message) => new(DynamoErrorTypes.ResourceInUse, message);

    public static DynamoException ConditionalCheckFailed(Item? item = null) =>
        new(DynamoErrorTypes.ConditionalCheckFailed, "The conditional request failed", item);

    public static DynamoException InternalServerError(string message = "Internal server error") =>
        new(DynamoErrorTypes.InternalServerError, message);
}
