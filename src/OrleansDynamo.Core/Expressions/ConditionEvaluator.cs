using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>Evaluates a condition against an item. A missing attribute makes comparisons false (but
/// <c>&lt;&gt;</c> true) and values of different types are unequal, never an error.</summary>
internal static class ConditionEvaluator
{
    public static bool Evaluate(ConditionNode node, Item? item, Bindings bindings) => node switch
    {
        And and => Evaluate(and.Left, item, bindings) && Evaluate(and.Right, item, bindings),
        Or or => Evaluate(or.Left, item, bindings) || Evaluate(or.Right, item, bindings),
        Not not => !Evaluate(not.Operand, item, bindings),
        Comparison comparison => Compare(comparison, item, bindings),
        Between between => IsBetween(between, item, bindings),
        In @in => IsIn(@in, item, bindings),
        FunctionCondition function => EvaluateFunction(function.Call, item, bindings),
        _ => throw new InvalidOperationException($"Unknown condition node {node.GetType().Name}"),
    };

    private static bool Compare(Comparison comparison, Item? item, Bindings bindings)
    {
        var left = Operand(comparison.Left, item, bindings);
        var right = Operand(comparison.Right, item, bindings);
        switch (comparison.Comparator)
        {
            case Comparator.Equal:
                return left is not null && right is not null && left.Equals(right);
            case Comparator.NotEqual:
                return left is null || right is null || !left.Equals(right);
        }
        if (left is null || right is null || !AttributeValueComparer.AreComparable(left, right)) return false;
        var order = AttributeValueComparer.CompareKeys(left, right);
        return comparison.Comparator switch
        {
            Comparator.Less => order < 0,
            Comparator.LessOrEqual => order <= 0,
            Comparator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static bool IsBetween(Between between, Item? item, Bindings bindings)
    {
        var value = Operand(between.Operand, item, bindings);
        var lower = Operand(between.Lower, item, bindings);
        var upper = Operand(between.Upper, item, bindings);
        if (value is null || lower is null || upper is null) return false;
        if (!AttributeValueComparer.AreComparable(value, lower) || !AttributeValueComparer.AreComparable(value, upper)) return false;
        return AttributeValueComparer.CompareKeys(lower, value) <= 0 && AttributeValueComparer.CompareKeys(value, upper) <= 0;
    }

    private static bool IsIn(In @in, Item? item, Bindings bindings)
    {
        var value = Operand(@in.Operand, item, bindings);
        if (value is null) return false;
        foreach (var candidate in @in.Candidates)
            if (value.Equals(Operand(candidate, item, bindings))) return true;
        return false;
    }

    private static bool EvaluateFunction(FunctionCall call, Item? item, Bindings bindings)
    {
        switch (call.Name)
        {
            case "attribute_exists":
                return Operand(call.Arguments[0], item, bindings) is not null;
            case "attribute_not_exists":
                return Operand(call.Arguments[0], item, bindings) is null;
            case "attribute_type":
                return Operand(call.Arguments[0], item, bindings) is { } typed &&
                    Operand(call.Arguments[1], item, bindings) is { Type: AttributeType.S } typeName &&
                    typed.Type.ToString() == typeName.S;
            case "begins_with":
                return Operand(call.Arguments[0], item, bindings) is { } value &&
                    Operand(call.Arguments[1], item, bindings) is { } prefix &&
                    AttributeValueComparer.BeginsWith(value, prefix);
            case "contains":
                return Operand(call.Arguments[0], item, bindings) is { } container &&
                    Operand(call.Arguments[1], item, bindings) is { } member &&
                    Contains(container, member);
            default:
                throw new InvalidOperationException($"Function {call.Name} is not a condition");
        }
    }

    /// <summary>contains(): substring of a string, member of a set of the matching type, element of a list.</summary>
    public static bool Contains(AttributeValue container, AttributeValue member) => (container.Type, member.Type) switch
    {
        (AttributeType.S, AttributeType.S) => container.S.Contains(member.S, StringComparison.Ordinal),
        // A binary contains a run of bytes, as the legacy CONTAINS operator documents.
        (AttributeType.B, AttributeType.B) => container.B.Span.IndexOf(member.B.Span) >= 0,
        (AttributeType.SS, AttributeType.S) => container.SS.Contains(member.S, StringComparer.Ordinal),
        (AttributeType.NS, AttributeType.N) => container.NS.Contains(member.N),
        (AttributeType.BS, AttributeType.B) => container.BS.Any(b => b.AsSpan().SequenceEqual(member.B.Span)),
        (AttributeType.L, _) => container.L.Any(member.Equals),
        _ => false,
    };

    /// <summary>An operand's value; null when it names a missing attribute.</summary>
    public static AttributeValue? Operand(Operand operand, Item? item, Bindings bindings) => operand switch
    {
        PathOperand path => Bindings.Get(item, bindings.Resolve(path)),
        ValueOperand value => bindings.Value(value),
        FunctionCall { Name: "size" } size => Size(Operand(size.Arguments[0], item, bindings)),
        _ => throw new InvalidOperationException($"Operand {operand.GetType().Name} is not allowed in a condition"),
    };

    /// <summary>size(): characters of a string, bytes of a binary, members of a set, list or map.</summary>
    /// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions</remarks>
    private static AttributeValue? Size(AttributeValue? value) => value?.Type switch
    {
        AttributeType.S => AttributeValue.FromN(DynamoNumber.FromInt64(value.S.Length)),
        AttributeType.B => AttributeValue.FromN(DynamoNumber.FromInt64(value.B.Length)),
        AttributeType.SS or AttributeType.NS or AttributeType.BS or AttributeType.L or AttributeType.M =>
            AttributeValue.FromN(DynamoNumber.FromInt64(value.Count)),
        _ => null,
    };
}
