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
        Statements(violations, request.Statements?.Select(s => (s.Statement, s.Parameters)).ToList(), "statements", MaxBatchStatements);
        violations.Enum(request.ReturnConsumedCapacity, "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        violations.ThrowIfAny();
    }

    public static void Validate(ExecuteTransactionRequest request)
    {
        var violations = new Violations();
        Statements(violations, request.TransactStatements?.Select(s => (s.Statement, s.Parameters)).ToList(), "transactStatements", MaxTransactionStatements);
        violations.Length(request.ClientRequestToken, "clientRequestToken", 1, 36);
        violations.Enum(request.ReturnConsumedCapacity, "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        violations.ThrowIfAny();
    }

    /// <summary>The statement list of a batch or a transaction: 1 to <paramref name="max"/> statements, each checked.</summary>
    private static void Statements(Violations violations, List<(string? Statement, IReadOnlyList<Model.AttributeValue>? Parameters)>? statements, string member, int max)
    {
        violations.NotNull(statements, member);
        if (statements is null) return;
        if (statements.Count is < 1 || statements.Count > max)
            violations.Add($"[{statements.Count} statements]", member,
                statements.Count < 1 ? "Member must have length greater than or equal to 1" : $"Member must have length less than or equal to {max}");
        for (var i = 0; i < statements.Count; i++)
        {
            Statement(violations, statements[i].Statement, $"{member}.{i + 1}.member.statement");
            Parameters(violations, statements[i].Parameters, $"{member}.{i + 1}.member.parameters");
        }
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
