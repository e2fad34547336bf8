using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>The five expression parameters of a request, named as DynamoDB names them in its messages.</summary>
internal enum ExpressionKind { ConditionExpression, UpdateExpression, ProjectionExpression, FilterExpression, KeyConditionExpression }

/// <summary>One step of a document path as written: a member name (literal or <c>#placeholder</c>) or a list index.</summary>
internal readonly record struct PathElement(string? Name, int Index, bool IsPlaceholder)
{
    public bool IsIndex => Name is null;
}

/// <summary>One step of a document path after placeholders are resolved.</summary>
internal readonly record struct PathStep(string? Name, int Index)
{
    public bool IsIndex => Name is null;
    public override string ToString() => Name ?? $"[{Index}]";
}

/// <summary>Base of every node of a parsed expression.</summary>
internal abstract class ExpressionNode;

// ---- operands -------------------------------------------------------------------------------

internal abstract class Operand : ExpressionNode;

internal sealed class PathOperand : Operand
{
    public PathOperand(PathElement[] elements)
    {
        Elements = elements;
        if (elements.All(e => !e.IsPlaceholder))
            LiteralSteps = elements.Select(e => new PathStep(e.Name, e.Index)).ToArray();
    }

    public PathElement[] Elements { get; }

    /// <summary>The resolved path when it has no <c>#name</c> placeholders, so evaluation need not resolve it.</summary>
    public PathStep[]? LiteralSteps { get; }
}

internal sealed class ValueOperand(string placeholder) : Operand
{
    public string Placeholder { get; } = placeholder;
}

internal sealed class FunctionCall(string name, Operand[] arguments) : Operand
{
    public string Name { get; } = name;
    public Operand[] Arguments { get; } = arguments;
}

/// <summary><c>a + b</c> or <c>a - b</c> in a SET action.</summary>
internal sealed class Arithmetic(bool isPlus, Operand left, Operand right) : Operand
{
    public bool IsPlus { get; } = isPlus;
    public Operand Left { get; } = left;
    public Operand Right { get; } = right;
    public string Symbol => IsPlus ? "+" : "-";
}

// ---- conditions -----------------------------------------------------------------------------

internal abstract class ConditionNode : ExpressionNode;

internal enum Comparator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

internal sealed class Comparison(Comparator comparator, Operand left, Operand right) : ConditionNode
{
    public Comparator Comparator { get; } = comparator;
    public Operand Left { get; } = left;
    public Operand Right { get; } = right;

    public string Symbol => Comparator switch
    {
        Comparator.Equal => "=",
        Comparator.NotEqual => "<>",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        _ => ">=",
    };
}

internal sealed class Between(Operand operand, Operand lower, Operand upper) : ConditionNode
{
    public Operand Operand { get; } = operand;
    public Operand Lower { get; } = lower;
    public Operand Upper { get; } = upper;
}

internal sealed class In(Operand operand, Operand[] candidates) : ConditionNode
{
    public Operand Operand { get; } = operand;
    public Operand[] Candidates { get; } = candidates;
}

/// <summary>A function used as a condition: <c>attribute_exists(a)</c>, <c>begins_with(a, :p)</c>...</summary>
internal sealed class FunctionCondition(FunctionCall call) : ConditionNode
{
    public FunctionCall Call { get; } = call;
}

internal sealed class And(ConditionNode left, ConditionNode right) : ConditionNode
{
    public ConditionNode Left { get; } = left;
    public ConditionNode Right { get; } = right;
}

internal sealed class Or(ConditionNode left, ConditionNode right) : ConditionNode
{
    public ConditionNode Left { get; } = left;
    public ConditionNode Right { get; } = right;
}

internal sealed class Not(ConditionNode operand) : ConditionNode
{
    public ConditionNode Operand { get; } = operand;
}

// ---- parsed expressions ---------------------------------------------------------------------

/// <summary>A parsed ConditionExpression, FilterExpression or KeyConditionExpression.</summary>
internal sealed class ParsedCondition(ConditionNode root, bool hasRedundantParentheses)
{
    public ConditionNode Root { get; } = root;
    public bool HasRedundantParentheses { get; } = hasRedundantParentheses;
}

internal enum UpdateActionKind { Set, Remove, Add, Delete }

internal sealed class UpdateAction(UpdateActionKind kind, PathOperand path, Operand? value)
{
    public UpdateActionKind Kind { get; } = kind;
    public PathOperand Path { get; } = path;
    /// <summary>The SET value, or the ADD/DELETE value placeholder; null for REMOVE.</summary>
    public Operand? Value { get; } = value;
}

internal sealed class ParsedUpdate(UpdateAction[] actions, string? repeatedSection)
{
    public UpdateAction[] Actions { get; } = actions;
    /// <summary>The first section keyword written twice ("SET"...), if any.</summary>
    public string? RepeatedSection { get; } = repeatedSection;

    /// <summary>The error for an operand of the wrong type at run time; legacy AttributeUpdates word it differently.</summary>
    public Func<DynamoException> OperandTypeError { get; init; } = DynamoErrors.UpdateOperandType;
}

internal sealed class ParsedProjection(PathOperand[] paths)
{
    public PathOperand[] Paths { get; } = paths;
}

internal static class AttributeValueExtensions
{
    public static string TypeName(this AttributeValue value) => value.Type.ToString();
}
