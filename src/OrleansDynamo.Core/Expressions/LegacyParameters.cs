using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>
/// The legacy (pre-expression) parameters of one request: Expected with ConditionalOperator,
/// AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter and ScanFilter. They are checked with
/// DynamoDB's messages and turned into the same trees the expression parser builds, so one evaluator,
/// one updater and one projector serve both.
/// </summary>
/// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html</remarks>
public sealed class LegacyParameters
{
    /// <summary>The ComparisonOperator values, in the order DynamoDB lists them in its enum constraint message.</summary>
    public static readonly string[] ComparisonOperators =
        ["IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS"];

    /// <summary>A request without legacy parameters.</summary>
    public static LegacyParameters None { get; } = new();

    public IReadOnlyDictionary<string, ExpectedAttributeValue>? Expected { get; init; }
    public string? ConditionalOperator { get; init; }
    public IReadOnlyDictionary<string, AttributeValueUpdate>? AttributeUpdates { get; init; }
    public IReadOnlyList<string>? AttributesToGet { get; init; }
    public IReadOnlyDictionary<string, Condition>? KeyConditions { get; init; }

    /// <summary>QueryFilter or ScanFilter, named by <see cref="FilterParameter"/>.</summary>
    public IReadOnlyDictionary<string, Condition>? Filter { get; init; }

    /// <summary>"QueryFilter" or "ScanFilter" for Query and Scan, where ConditionalOperator joins the filter; else null.</summary>
    public string? FilterParameter { get; init; }

    public bool IsEmpty => Expected is null && AttributeUpdates is null && AttributesToGet is null &&
        KeyConditions is null && Filter is null && ConditionalOperator is null;

    /// <summary>
    /// Rejects a request that uses both kinds of parameter, naming them in DynamoDB's order.
    /// KeyConditions may go with a FilterExpression or ProjectionExpression, but not with a KeyConditionExpression.
    /// </summary>
    public void CheckNotMixed(IReadOnlyList<string> expressionParameters)
    {
        if (expressionParameters.Count == 0 || IsEmpty) return;
        var legacy = new List<string>();
        if (AttributeUpdates is not null) legacy.Add("AttributeUpdates");
        if (AttributesToGet is not null) legacy.Add("AttributesToGet");
        if (Expected is not null) legacy.Add("Expected");
        if (Filter is not null) legacy.Add(FilterParameter!);
        if (ConditionalOperator is not null && FilterParameter is not null) legacy.Add("ConditionalOperator");
        if (KeyConditions is not null && expressionParameters.Contains("KeyConditionExpression")) legacy.Add("KeyConditions");
        if (legacy.Count > 0) throw DynamoErrors.MixedExpressionParameters(legacy, expressionParameters);
    }

    /// <summary>The rules DynamoDB applies to the legacy members' contents (after the constraint checks).</summary>
    internal void Validate()
    {
        if (AttributeUpdates is not null)
            foreach (var (name, update) in AttributeUpdates) ValidateUpdate(name, update);
        if (Expected is not null)
            foreach (var (name, expected) in Expected) ValidateExpected(name, expected);
        if (Filter is not null)
            foreach (var (_, condition) in Filter) ValidateCondition(condition.ComparisonOperator!, condition.AttributeValueList ?? []);
        if (AttributesToGet is not null && AttributesToGet.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw DynamoErrors.DuplicateProjectedAttribute(duplicate.Key);
        if (KeyConditions is not null)
        {
            foreach (var (_, condition) in KeyConditions) ValidateCondition(condition.ComparisonOperator!, condition.AttributeValueList ?? []);
            if (KeyConditions.Count is not (1 or 2)) throw DynamoErrors.KeyConditionsCount();
        }
    }

    private static void ValidateUpdate(string name, AttributeValueUpdate update)
    {
        var action = update.Action ?? "PUT";
        if (update.Value is null)
        {
            if (action != "DELETE") throw DynamoErrors.LegacyDeleteOnlyWithoutValue();
            return;
        }
        var type = update.Value.Type;
        if (action == "DELETE" && type is not (AttributeType.SS or AttributeType.NS or AttributeType.BS))
            throw DynamoErrors.LegacyDeleteValueType(type);
        if (action == "ADD" && type is not (AttributeType.L or AttributeType.SS or AttributeType.NS or AttributeType.BS or AttributeType.N))
            throw DynamoErrors.LegacyAddType(type);
    }

    private static void ValidateExpected(string name, ExpectedAttributeValue expected)
    {
        if (expected.AttributeValueList is not null && expected.Value is not null)
            throw DynamoErrors.LegacyValueWithList(name);
        if (expected.ComparisonOperator is { } op)
        {
            if (expected.Exists is not null)
                throw DynamoErrors.LegacyExistsWithOperator(name);
            if (op is not ("NULL" or "NOT_NULL") && expected.AttributeValueList is null && expected.Value is null)
                throw DynamoErrors.LegacyOperatorNeedsValue(op, name);
            ValidateCondition(op, ExpectedValues(expected));
        }
        else if (expected.AttributeValueList is not null)
            throw DynamoErrors.LegacyListNeedsOperator(name);
        else if (expected.Exists is not false && expected.Value is null)
            throw DynamoErrors.LegacyValueRequired(expected.Exists is null ? "null" : "true", name);
        else if (expected.Exists is false && expected.Value is not null)
            throw DynamoErrors.LegacyValueWhenNotExists(name);
    }

    private static IReadOnlyList<AttributeValue> ExpectedValues(ExpectedAttributeValue expected) =>
        expected.AttributeValueList ?? (expected.Value is { } value ? [value] : []);

    /// <summary>Argument count, one type for all arguments, types the operator accepts, BETWEEN's order.</summary>
    private static void ValidateCondition(string op, IReadOnlyList<AttributeValue> values)
    {
        var countOk = op switch
        {
            "NULL" or "NOT_NULL" => values.Count == 0,
            "IN" => values.Count >= 1,
            "BETWEEN" => values.Count == 2,
            _ => values.Count == 1,
        };
        if (!countOk) throw DynamoErrors.LegacyArgumentCount(op);
        if (values.Count == 0) return;
        if (values.Any(v => v.Type != values[0].Type))
            throw DynamoErrors.LegacyMixedListTypes();
        var scalar = values[0].Type is AttributeType.S or AttributeType.N or AttributeType.B;
        var allowed = op switch
        {
            "EQ" or "NE" => scalar || values[0].Type is AttributeType.SS or AttributeType.NS or AttributeType.BS,
            "BEGINS_WITH" => values[0].Type is AttributeType.S or AttributeType.B,
            _ => scalar,
        };
        if (!allowed)
            throw DynamoErrors.LegacyOperatorType(op, values[0].Type);
        if (op == "BETWEEN" && AttributeValueComparer.CompareKeys(values[0], values[1]) > 0)
            throw DynamoErrors.BetweenBoundsReversed();
    }

    /// <summary>The trees of the legacy members, with their values under placeholders no request can write.</summary>
    internal LegacyTrees Convert() => new LegacyTreeBuilder().Build(this);
}

/// <summary>What <see cref="LegacyParameters"/> turn into.</summary>
internal sealed record LegacyTrees(
    IReadOnlyDictionary<string, AttributeValue> Values,
    ParsedCondition? Condition, ParsedUpdate? Update, ParsedProjection? Projection, ParsedCondition? Filter, List<KeyTerm>? KeyTerms);

internal sealed class LegacyTreeBuilder
{
    private readonly Dictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

    public LegacyTrees Build(LegacyParameters legacy)
    {
        var or = legacy.ConditionalOperator == "OR";
        var condition = legacy.Expected is { Count: > 0 } expected
            ? new ParsedCondition(Join(expected.Select(e => Expected(e.Key, e.Value)), or), false)
            : null;
        var filter = legacy.Filter is { Count: > 0 } conditions
            ? new ParsedCondition(Join(conditions.Select(c => Compare(c.Value.ComparisonOperator!, c.Key, c.Value.AttributeValueList ?? [])), or), false)
            : null;
        var update = legacy.AttributeUpdates is { } updates
            ? new ParsedUpdate(updates.Select(u => Update(u.Key, u.Value)).ToArray(), null) { OperandTypeError = DynamoErrors.AttributeUpdateTypeMismatch }
            : null;
        var projection = legacy.AttributesToGet is { } names ? new ParsedProjection(names.Select(Path).ToArray()) : null;
        var keyTerms = legacy.KeyConditions?.Select(k => KeyTerm(k.Key, k.Value)).ToList();
        return new LegacyTrees(_values, condition, update, projection, filter, keyTerms);
    }

    private static ConditionNode Join(IEnumerable<ConditionNode> nodes, bool or) =>
        nodes.Aggregate((left, right) => or ? new Or(left, right) : new And(left, right));

    private ConditionNode Expected(string name, ExpectedAttributeValue expected)
    {
        if (expected.ComparisonOperator is { } op)
            return Compare(op, name, expected.AttributeValueList ?? (expected.Value is { } value ? [value] : []));
        return expected.Exists is false
            ? Function("attribute_not_exists", Path(name))
            : new Comparison(Comparator.Equal, Path(name), Value(expected.Value!));
    }

    /// <summary>A legacy ComparisonOperator as the condition expression DynamoDB documents as its equivalent.</summary>
    private ConditionNode Compare(string op, string name, IReadOnlyList<AttributeValue> values)
    {
        var path = Path(name);
        return op switch
        {
            "EQ" => new Comparison(Comparator.Equal, path, Value(values[0])),
            "NE" => new Comparison(Comparator.NotEqual, path, Value(values[0])),
            "LT" => new Comparison(Comparator.Less, path, Value(values[0])),
            "LE" => new Comparison(Comparator.LessOrEqual, path, Value(values[0])),
            "GT" => new Comparison(Comparator.Greater, path, Value(values[0])),
            "GE" => new Comparison(Comparator.GreaterOrEqual, path, Value(values[0])),
            "NOT_NULL" => Function("attribute_exists", path),
            "NULL" => Function("attribute_not_exists", path),
            "CONTAINS" => Function("contains", path, Value(values[0])),
            "NOT_CONTAINS" => new Not(Function("contains", path, Value(values[0]))),
            "BEGINS_WITH" => Function("begins_with", path, Value(values[0])),
            "IN" => new In(path, values.Select(Value).ToArray()),
            "BETWEEN" => new Between(path, Value(values[0]), Value(values[1])),
            _ => throw new InvalidOperationException($"ComparisonOperator {op} passed validation"),
        };
    }

    /// <summary>PUT is SET; DELETE is REMOVE, or DELETE from a set; ADD to a list appends (which ADD in an expression cannot).</summary>
    private UpdateAction Update(string name, AttributeValueUpdate update) => (update.Action ?? "PUT", update.Value) switch
    {
        ("DELETE", null) => new UpdateAction(UpdateActionKind.Remove, Path(name), null),
        ("DELETE", { } value) => new UpdateAction(UpdateActionKind.Delete, Path(name), Value(value)),
        ("ADD", { Type: AttributeType.L } list) => new UpdateAction(UpdateActionKind.Set, Path(name),
            new FunctionCall("list_append", [new FunctionCall("if_not_exists", [Path(name), Value(AttributeValue.FromL([]))]), Value(list)])),
        ("ADD", { } value) => new UpdateAction(UpdateActionKind.Add, Path(name), Value(value)),
        (_, { } value) => new UpdateAction(UpdateActionKind.Set, Path(name), Value(value)),
        _ => throw new InvalidOperationException("A PUT without a value passed validation"),
    };

    private static KeyTerm KeyTerm(string name, Condition condition)
    {
        var values = condition.AttributeValueList ?? [];
        var op = condition.ComparisonOperator switch
        {
            "EQ" => SortKeyOperator.Equal,
            "LT" => SortKeyOperator.Less,
            "LE" => SortKeyOperator.LessOrEqual,
            "GT" => SortKeyOperator.Greater,
            "GE" => SortKeyOperator.GreaterOrEqual,
            "BEGINS_WITH" => SortKeyOperator.BeginsWith,
            "BETWEEN" => SortKeyOperator.Between,
            _ => (SortKeyOperator?)null,
        };
        return op is { } indexable
            ? new KeyTerm(name, indexable, values[0], indexable == SortKeyOperator.Between ? values[1] : null)
            : new KeyTerm(name, SortKeyOperator.Equal, values.Count > 0 ? values[0] : AttributeValue.Null, null, IsIndexable: false);
    }

    // Legacy attribute names are literal top-level names: "a.b" is one attribute, and reserved words are fine.
    private static PathOperand Path(string name) => new([new PathElement(name, 0, false)]);

    private static FunctionCondition Function(string name, params Operand[] arguments) => new(new FunctionCall(name, arguments));

    /// <summary>A value under a placeholder that cannot clash with ExpressionAttributeValues keys (":name").</summary>
    private ValueOperand Value(AttributeValue value)
    {
        var placeholder = $"legacy#{_values.Count}";
        _values[placeholder] = value;
        return new ValueOperand(placeholder);
    }
}
