using OrleansDynamo.Model;

namespace OrleansDynamo.PartiQL;

// ---- values -----------------------------------------------------------------------------------

/// <summary>A value in a statement: a path, a literal, a <c>?</c> parameter, a collection literal, a call or a sum.</summary>
internal abstract record PqlExpr;

/// <summary>A document path: names and list indexes (<c>a.b[2].c</c>).</summary>
internal sealed record PqlPath(IReadOnlyList<object> Steps) : PqlExpr
{
    public string? TopName => Steps.Count == 1 ? Steps[0] as string : null;
}

internal sealed record PqlLiteral(AttributeValue Value) : PqlExpr;

/// <summary>The <see cref="Index"/>th <c>?</c> of the statement (from 0).</summary>
internal sealed record PqlParameter(int Index) : PqlExpr;

internal sealed record PqlList(IReadOnlyList<PqlExpr> Items) : PqlExpr;

internal sealed record PqlMap(IReadOnlyList<KeyValuePair<string, PqlExpr>> Members) : PqlExpr;

/// <summary><c>&lt;&lt;'a', 'b'&gt;&gt;</c>: a string, number or binary set.</summary>
internal sealed record PqlSet(IReadOnlyList<PqlExpr> Items) : PqlExpr;

internal sealed record PqlCall(string Name, IReadOnlyList<PqlExpr> Arguments) : PqlExpr;

internal sealed record PqlArithmetic(bool IsPlus, PqlExpr Left, PqlExpr Right) : PqlExpr;

// ---- conditions -------------------------------------------------------------------------------

internal abstract record PqlCondition;

internal sealed record PqlComparison(string Operator, PqlExpr Left, PqlExpr Right) : PqlCondition;

internal sealed record PqlBetween(PqlExpr Value, PqlExpr Low, PqlExpr High) : PqlCondition;

internal sealed record PqlIn(PqlExpr Value, IReadOnlyList<PqlExpr> Options) : PqlCondition;

internal sealed record PqlAnd(PqlCondition Left, PqlCondition Right) : PqlCondition;

internal sealed record PqlOr(PqlCondition Left, PqlCondition Right) : PqlCondition;

internal sealed record PqlNot(PqlCondition Operand) : PqlCondition;

/// <summary>
/// <c>path IS [NOT] type</c>: <see cref="Type"/> is <see cref="Missing"/> (the attribute is absent) or a DynamoDB
/// type code (NULL, S, N, B, BOOL, L, M).
/// </summary>
internal sealed record PqlIs(PqlPath Path, string Type, bool Negated) : PqlCondition
{
    public const string Missing = "MISSING";
}

/// <summary>A function used as a condition: begins_with, contains, attribute_type.</summary>
internal sealed record PqlFunctionCondition(PqlCall Call) : PqlCondition;

// ---- statements -------------------------------------------------------------------------------

internal abstract record PqlStatement(string Table)
{
    public abstract bool IsRead { get; }
}

/// <summary>One term of ORDER BY: an attribute and its direction.</summary>
internal sealed record PqlOrder(string Attribute, bool Descending);

/// <summary>SELECT; <see cref="Projection"/> null is <c>*</c>; <see cref="OrderBy"/> empty without ORDER BY.</summary>
internal sealed record PqlSelect(string Table, string? Index, IReadOnlyList<PqlPath>? Projection, PqlCondition? Where, IReadOnlyList<PqlOrder> OrderBy)
    : PqlStatement(Table)
{
    public override bool IsRead => true;
}

internal sealed record PqlInsert(string Table, PqlExpr Value) : PqlStatement(Table)
{
    public override bool IsRead => false;
}

/// <summary>One SET of an UPDATE: the path and its new value.</summary>
internal sealed record PqlAssignment(PqlPath Path, PqlExpr Value);

internal sealed record PqlUpdate(string Table, IReadOnlyList<PqlAssignment> Sets, IReadOnlyList<PqlPath> Removes, PqlCondition? Where, string? Returning)
    : PqlStatement(Table)
{
    public override bool IsRead => false;
}

internal sealed record PqlDelete(string Table, PqlCondition? Where, string? Returning) : PqlStatement(Table)
{
    public override bool IsRead => false;
}

/// <summary><c>EXISTS(SELECT ...)</c>: a condition check, in ExecuteTransaction only.</summary>
internal sealed record PqlExists(PqlSelect Select) : PqlStatement(Select.Table)
{
    public override bool IsRead => false;
}
