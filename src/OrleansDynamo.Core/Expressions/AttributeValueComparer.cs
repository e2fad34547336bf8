using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>DynamoDB's ordering of scalar values, as used by comparisons and key conditions.</summary>
public static class AttributeValueComparer
{
    /// <summary>Compares two values of the same scalar type: S by UTF-8 bytes, N numerically, B by unsigned bytes.</summary>
    public static int CompareKeys(AttributeValue a, AttributeValue b) => KeyComparer.Instance.Compare(a, b);

    /// <summary>Whether <c>&lt;</c>, <c>&gt;</c>, BETWEEN can compare the two values: same type, one of S, N, B.</summary>
    public static bool AreComparable(AttributeValue a, AttributeValue b) =>
        a.Type == b.Type && a.Type is AttributeType.S or AttributeType.N or AttributeType.B;

    /// <summary>begins_with: a string or binary prefix of the same type.</summary>
    public static bool BeginsWith(AttributeValue value, AttributeValue prefix) => (value.Type, prefix.Type) switch
    {
        (AttributeType.S, AttributeType.S) => value.S.StartsWith(prefix.S, StringComparison.Ordinal),
        (AttributeType.B, AttributeType.B) => value.B.Span.StartsWith(prefix.B.Span),
        _ => false,
    };
}
