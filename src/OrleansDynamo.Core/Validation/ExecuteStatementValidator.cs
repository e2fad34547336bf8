using OrleansDynamo.Operations;
using OrleansDynamo.PartiQL;

namespace OrleansDynamo.Validation;

/// <summary>ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: the members' constraints.</summary>
public static class ExecuteStatementValidator
{
    public const int MaxBatchStatements = 25;
    public const int MaxTransactionStatements = 100;

    public static void Validate(ExecuteStatementRequest request)
    {
        var violations = new Violations();
        Statement(violations, request.Statement, "statement");
        Parameters(violations, request.Parameters, "parameters");
        violations.Range(request.Limit, "limit", 1, int.MaxValue);
        violations.Length(request.NextToken, "nextToken", 1, 32768);
        violations.Enum(request.ReturnConsumedCapacity, "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        violations.Enum(request.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE");
        violations.ThrowIfAny();
    }

    public static void Validate(BatchExecuteStatementRequest request)
    {
        var violations = new Violations();
        violations.NotNull(request.Statements, "statements");
        if (request.Statements is { } statements)
        {
            if (statements.Count is < 1 or > MaxBatchStatements)
                violations.Add($"[{statements.Count} statements]", "statements",
                    statements.Count < 1 ? "Member must have length greater than or equal to 1" : $"Member must have length less than or equal to {MaxBatchStatements}");
            for (var i = 0; i < statements.Count; i++)
            {
                Statement(violations, statements[i].Statement, $"statements.{i + 1}.member.statement");
                Parameters(violations, statements[i].Parameters, $"statements.{i + 1}.member.parameters");
            }
        }
        violations.Enum(request.ReturnConsumedCapacity, "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        violations.ThrowIfAny();
    }

    public static void Validate(ExecuteTransactionRequest request)
    {
        var violations = new Violations();
        violations.NotNull(request.TransactStatements, "transactStatements");
        if (request.TransactStatements is { } statements)
        {
            if (statements.Count is < 1 or > MaxTransactionStatements)
                violations.Add($"[{statements.Count} statements]", "transactStatements",
                    statements.Count < 1 ? "Member must have length greater than or equal to 1" : $"Member must have length less than or equal to {MaxTransactionStatements}");
            for (var i = 0; i < statements.Count; i++)
            {
                Statement(violations, statements[i].Statement, $"transactStatements.{i + 1}.member.statement");
                Parameters(violations, statements[i].Parameters, $"transactStatements.{i + 1}.member.parameters");
            }
        }
        violations.Length(request.ClientRequestToken, "clientRequestToken", 1, 36);
        violations.Enum(request.ReturnConsumedCapacity, "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        violations.ThrowIfAny();
    }

    private static void Statement(Violations violations, string? statement, string member)
    {
        violations.NotNull(statement, member);
        violations.Length(statement, member, 1, PartiQLStatements.MaxStatementLength);
    }

    private static void Parameters(Violations violations, IReadOnlyList<Model.AttributeValue>? parameters, string member)
    {
        if (parameters is { Count: 0 }) violations.Add("[]", member, "Member must have length greater than or equal to 1");
    }
}
