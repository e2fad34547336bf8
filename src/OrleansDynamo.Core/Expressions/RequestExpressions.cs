using System.Text.RegularExpressions;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>
/// All expressions of one request, parsed (through a cache keyed by expression text), validated
/// together against the request's ExpressionAttributeNames and ExpressionAttributeValues, and bound
/// to them. Immutable and thread-safe once bound.
/// </summary>
/// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html</remarks>
public sealed partial class RequestExpressions
{
    private readonly Bindings _bindings;
    private readonly ParsedCondition? _condition;
    private readonly ParsedUpdate? _update;
    private readonly ParsedProjection? _projection;
    private readonly ParsedCondition? _filter;
    private readonly List<KeyTerm>? _keyTerms;
    private readonly PathStep[][]? _updatePaths;
    private readonly PathStep[][]? _projectionPaths;

    private RequestExpressions(Bindings bindings, ParsedCondition? condition, ParsedUpdate? update,
        ParsedProjection? projection, ParsedCondition? filter, List<KeyTerm>? keyTerms)
    {
        _bindings = bindings;
        _condition = condition;
        _update = update;
        _projection = projection;
        _filter = filter;
        _keyTerms = keyTerms;
        _updatePaths = update?.Actions.Select(a => bindings.Resolve(a.Path)).ToArray();
        _projectionPaths = projection?.Paths.Select(bindings.Resolve).ToArray();
    }

    /// <summary>Requests with no expressions at all.</summary>
    public static RequestExpressions None { get; } = new(new Bindings(null, null), null, null, null, null, null);

    public bool HasCondition => _condition is not null;
    public bool HasUpdate => _update is not null;
    public bool HasProjection => _projection is not null;
    public bool HasFilter => _filter is not null;
    public bool HasKeyCondition => _keyTerms is not null;

    /// <summary>Top-level attribute names the filter reads (empty when there is none).</summary>
    public IReadOnlySet<string> FilterAttributes
    {
        get
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (_filter is not null) CollectNames(_filter.Root, names);
            return names;
        }
    }

    private void CollectNames(ExpressionNode node, HashSet<string> names)
    {
        switch (node)
        {
            case PathOperand path: names.Add(_bindings.Resolve(path)[0].Name!); break;
            case FunctionCall call: foreach (var argument in call.Arguments) CollectNames(argument, names); break;
            case Arithmetic sum: CollectNames(sum.Left, names); CollectNames(sum.Right, names); break;
            case Comparison comparison: CollectNames(comparison.Left, names); CollectNames(comparison.Right, names); break;
            case Between between: CollectNames(between.Operand, names); CollectNames(between.Lower, names); CollectNames(between.Upper, names); break;
            case In @in: CollectNames(@in.Operand, names); foreach (var candidate in @in.Candidates) CollectNames(candidate, names); break;
            case FunctionCondition function: CollectNames(function.Call, names); break;
            case And and: CollectNames(and.Left, names); CollectNames(and.Right, names); break;
            case Or or: CollectNames(or.Left, names); CollectNames(or.Right, names); break;
            case Not not: CollectNames(not.Operand, names); break;
        }
    }

    /// <summary>Top-level attribute names the ProjectionExpression reads (empty when there is none).</summary>
    public IReadOnlyList<string> ProjectedAttributes =>
        _projectionPaths?.Select(p => p[0].Name!).Distinct().ToArray() ?? [];

    /// <summary>
    /// Parses and validates a request's expressions. Throws <see cref="DynamoException"/>
    /// (ValidationException) with DynamoDB's message for the first problem, checked in DynamoDB's order.
    /// </summary>
    /// <param name="valueExpressionParameters">Optional: the expression parameters the operation accepts
    /// that can use values (e.g. ["ConditionExpression"] for PutItem). When given, the error for
    /// ExpressionAttributeValues without such an expression carries DynamoDB's suffix
    /// ": ConditionExpression is null".</param>
    public static RequestExpressions Bind(
        string? conditionExpression, string? updateExpression, string? projectionExpression,
        string? filterExpression, string? keyConditionExpression,
        IReadOnlyDictionary<string, string>? expressionAttributeNames,
        IReadOnlyDictionary<string, AttributeValue>? expressionAttributeValues,
        IReadOnlyList<string>? valueExpressionParameters = null) =>
        Bind(conditionExpression, updateExpression, projectionExpression, filterExpression, keyConditionExpression,
            expressionAttributeNames, expressionAttributeValues, LegacyParameters.None, valueExpressionParameters);

    /// <summary>
    /// Parses and validates a request's expressions and its legacy parameters (Expected, AttributeUpdates,
    /// AttributesToGet, KeyConditions, QueryFilter, ScanFilter), which become the same trees.
    /// A request that mixes the two kinds is rejected with DynamoDB's message.
    /// </summary>
    public static RequestExpressions Bind(
        string? conditionExpression, string? updateExpression, string? projectionExpression,
        string? filterExpression, string? keyConditionExpression,
        IReadOnlyDictionary<string, string>? expressionAttributeNames,
        IReadOnlyDictionary<string, AttributeValue>? expressionAttributeValues,
        LegacyParameters legacy,
        IReadOnlyList<string>? valueExpressionParameters = null,
        bool validated = false)
    {
        var anyExpression = conditionExpression is not null || updateExpression is not null || projectionExpression is not null ||
            filterExpression is not null || keyConditionExpression is not null;
        if (!validated)
            Validate(conditionExpression, updateExpression, projectionExpression, filterExpression, keyConditionExpression,
                expressionAttributeNames, expressionAttributeValues, legacy, valueExpressionParameters, anyExpression);
        if (!anyExpression && legacy.IsEmpty) return None;

        var update = updateExpression is null ? null : ExpressionCache.Update(updateExpression);
        var condition = conditionExpression is null ? null : ExpressionCache.Condition(conditionExpression, ExpressionKind.ConditionExpression);
        var keyCondition = keyConditionExpression is null ? null : ExpressionCache.Condition(keyConditionExpression, ExpressionKind.KeyConditionExpression);
        var filter = filterExpression is null ? null : ExpressionCache.Condition(filterExpression, ExpressionKind.FilterExpression);
        var projection = projectionExpression is null ? null : ExpressionCache.Projection(projectionExpression);

        var values = expressionAttributeValues;
        List<KeyTerm>? legacyKeyTerms = null;
        if (!legacy.IsEmpty)
        {
            var trees = legacy.Convert();
            condition ??= trees.Condition;
            update ??= trees.Update;
            projection ??= trees.Projection;
            filter ??= trees.Filter;
            legacyKeyTerms = trees.KeyTerms;
            values = Merge(expressionAttributeValues, trees.Values);
        }
        var bindings = new Bindings(expressionAttributeNames, values);
        var keyTerms = keyCondition is null ? legacyKeyTerms : KeyConditionAnalyzer.Analyze(keyCondition.Root, bindings);
        return new RequestExpressions(bindings, condition, update, projection, filter, keyTerms);
    }

    /// <summary>
    /// Every check of a request's expressions and legacy parameters, in DynamoDB's order. Runs once per request,
    /// at the edge; the partition grain binds the already validated request without repeating it.
    /// </summary>
    private static void Validate(
        string? conditionExpression, string? updateExpression, string? projectionExpression,
        string? filterExpression, string? keyConditionExpression,
        IReadOnlyDictionary<string, string>? expressionAttributeNames,
        IReadOnlyDictionary<string, AttributeValue>? expressionAttributeValues,
        LegacyParameters legacy, IReadOnlyList<string>? valueExpressionParameters, bool anyExpression)
    {
        if (!legacy.IsEmpty)
            legacy.CheckNotMixed(ExpressionParameters(conditionExpression, updateExpression, projectionExpression, filterExpression, keyConditionExpression));
        var anyValueExpression = conditionExpression is not null || updateExpression is not null ||
            filterExpression is not null || keyConditionExpression is not null;
        if (expressionAttributeNames is not null && !anyExpression)
            throw DynamoErrors.NamesWithoutExpressions();
        if (expressionAttributeValues is not null && !anyValueExpression)
        {
            var suffix = valueExpressionParameters is { Count: > 0 } parameters
                ? $": {string.Join(" and ", parameters)} {(parameters.Count > 1 ? "are" : "is")} null"
                : "";
            throw DynamoErrors.ValuesWithoutExpressions(suffix);
        }
        if (!legacy.IsEmpty) legacy.Validate();
        if (!anyExpression && legacy.IsEmpty) return;

        if (expressionAttributeNames is not null)
        {
            if (expressionAttributeNames.Count == 0) throw DynamoErrors.EmptyExpressionAttributeNames();
            foreach (var key in expressionAttributeNames.Keys)
                if (!NamePlaceholder().IsMatch(key))
                    throw DynamoErrors.InvalidNamePlaceholder(key);
        }
        if (expressionAttributeValues is not null)
        {
            if (expressionAttributeValues.Count == 0) throw DynamoErrors.EmptyExpressionAttributeValues();
            foreach (var key in expressionAttributeValues.Keys)
                if (!ValuePlaceholder().IsMatch(key))
                    throw DynamoErrors.InvalidValuePlaceholder(key);
        }

        // The order of the checks is DynamoDB's: update, condition, key condition, filter, projection.
        var validator = new ExpressionValidator(expressionAttributeNames, expressionAttributeValues);
        if (updateExpression is not null) validator.ValidateUpdate(ExpressionCache.Update(updateExpression));
        if (conditionExpression is not null)
            validator.ValidateCondition(ExpressionCache.Condition(conditionExpression, ExpressionKind.ConditionExpression), ExpressionKind.ConditionExpression);
        if (keyConditionExpression is not null)
            validator.ValidateCondition(ExpressionCache.Condition(keyConditionExpression, ExpressionKind.KeyConditionExpression), ExpressionKind.KeyConditionExpression);
        if (filterExpression is not null)
            validator.ValidateCondition(ExpressionCache.Condition(filterExpression, ExpressionKind.FilterExpression), ExpressionKind.FilterExpression);
        if (projectionExpression is not null) validator.ValidateProjection(ExpressionCache.Projection(projectionExpression));

        var unusedNames = expressionAttributeNames?.Keys.Where(k => !validator.UsedNames.Contains(k)).ToList();
        if (unusedNames is { Count: > 0 })
            throw DynamoErrors.UnusedNames(unusedNames);
        var unusedValues = expressionAttributeValues?.Keys.Where(k => !validator.UsedValues.Contains(k)).ToList();
        if (unusedValues is { Count: > 0 })
            throw DynamoErrors.UnusedValues(unusedValues);
    }

    private static IReadOnlyDictionary<string, AttributeValue> Merge(
        IReadOnlyDictionary<string, AttributeValue>? expressionValues, IReadOnlyDictionary<string, AttributeValue> legacyValues)
    {
        if (expressionValues is null) return legacyValues;
        var merged = new Dictionary<string, AttributeValue>(expressionValues, StringComparer.Ordinal);
        foreach (var (placeholder, value) in legacyValues) merged[placeholder] = value;
        return merged;
    }

    /// <summary>The expression parameters a request sets, in the order DynamoDB names them in its messages.</summary>
    private static List<string> ExpressionParameters(string? condition, string? update, string? projection, string? filter, string? keyCondition)
    {
        var present = new List<string>(2);
        if (update is not null) present.Add(nameof(ExpressionKind.UpdateExpression));
        if (condition is not null) present.Add(nameof(ExpressionKind.ConditionExpression));
        if (projection is not null) present.Add(nameof(ExpressionKind.ProjectionExpression));
        if (filter is not null) present.Add(nameof(ExpressionKind.FilterExpression));
        if (keyCondition is not null) present.Add(nameof(ExpressionKind.KeyConditionExpression));
        return present;
    }

    /// <summary>Evaluates the ConditionExpression; true when there is none. <paramref name="item"/> null means no item.</summary>
    public bool EvaluateCondition(Item? item) =>
        _condition is null || ConditionEvaluator.Evaluate(_condition.Root, item, _bindings);

    /// <summary>Evaluates the FilterExpression; true when there is none.</summary>
    public bool EvaluateFilter(Item item) =>
        _filter is null || ConditionEvaluator.Evaluate(_filter.Root, item, _bindings);

    /// <summary>Applies the ProjectionExpression; the item itself when there is none.</summary>
    public Item Project(Item item) => _projectionPaths is null ? item : Projector.Project(item, _projectionPaths);

    /// <summary>
    /// Applies the UpdateExpression to <paramref name="existing"/>, or to a new item made of
    /// <paramref name="key"/> when it is null. Never mutates its inputs.
    /// </summary>
    /// <exception cref="DynamoException">ValidationException when the update touches a key attribute,
    /// or an operand has the wrong type at run time, with DynamoDB's messages.</exception>
    public UpdateResult ApplyUpdate(Item? existing, Item key, IReadOnlyCollection<string> keyAttributeNames)
    {
        if (_update is null || _updatePaths is null) return new UpdateResult(existing ?? key, []);
        foreach (var path in _updatePaths)
            if (keyAttributeNames.Contains(path[0].Name!))
                throw DynamoErrors.UpdateKeyAttribute(path[0].Name!);
        var item = UpdateApplier.Apply(_update, _bindings, existing ?? key, _updatePaths);
        return new UpdateResult(item, _updatePaths.Select(p => p[0].Name!).Distinct().ToArray()) { UpdatedPaths = _updatePaths };
    }

    /// <summary>The KeyConditionExpression resolved against the table's (or index's) key schema.</summary>
    /// <exception cref="DynamoException">ValidationException "Query condition missed key schema element: pk",
    /// "Query key condition not supported"...</exception>
    public KeyCondition ResolveKeyCondition(string hashKeyName, string? rangeKeyName) =>
        _keyTerms is null
            ? throw new InvalidOperationException("The request has no KeyConditionExpression")
            : KeyConditionAnalyzer.Resolve(_keyTerms, hashKeyName, rangeKeyName);

    /// <summary>
    /// The key condition resolved against an index's key: its one partition and sort key attribute, or a
    /// multi-attribute key's several, with each value of its attribute's type.
    /// </summary>
    public KeyCondition ResolveKeyCondition(IndexInfo index)
    {
        if (!index.IsMultiAttribute)
            return ResolveKeyCondition(index.KeySchema.HashKey.Name, index.KeySchema.HashKey.Type, index.KeySchema.RangeKey?.Name, index.KeySchema.RangeKey?.Type);
        if (_keyTerms is null) throw new InvalidOperationException("The request has no KeyConditionExpression");
        var condition = KeyConditionAnalyzer.ResolveComposite(_keyTerms, index.HashAttributes, index.RangeAttributes);
        var types = index.KeyAttributes.ToDictionary(k => k.Name, k => k.Type, StringComparer.Ordinal);
        foreach (var term in _keyTerms)
            if (term.Value.Type != types[term.AttributeName] || term.Upper is { } upper && upper.Type != types[term.AttributeName])
                throw DynamoErrors.ConditionTypeMismatch();
        return condition;
    }

    /// <summary>
    /// The KeyConditionExpression resolved against the key schema, also checking that every value
    /// has the key attribute's type ("Condition parameter type does not match schema type").
    /// </summary>
    public KeyCondition ResolveKeyCondition(string hashKeyName, AttributeType hashKeyType, string? rangeKeyName, AttributeType? rangeKeyType)
    {
        var condition = ResolveKeyCondition(hashKeyName, rangeKeyName);
        var mismatch = condition.HashValue.Type != hashKeyType ||
            condition.SortKey is { } sortKey && (sortKey.Value.Type != rangeKeyType || sortKey.Upper is { } upper && upper.Type != rangeKeyType);
        return mismatch
            ? throw DynamoErrors.ConditionTypeMismatch()
            : condition;
    }

    [GeneratedRegex("^#[0-9a-zA-Z_]+$")]
    private static partial Regex NamePlaceholder();

    [GeneratedRegex("^:[0-9a-zA-Z_]+$")]
    private static partial Regex ValuePlaceholder();
}

/// <summary>The item after an UpdateExpression, and which attributes it touched.</summary>
/// <param name="Item">The updated item.</param>
/// <param name="UpdatedAttributes">Top-level names of the attributes the update expression names, in order.</param>
public sealed record UpdateResult(Item Item, IReadOnlyList<string> UpdatedAttributes)
{
    internal PathStep[][] UpdatedPaths { get; init; } = [];

    /// <summary>
    /// The parts of <paramref name="item"/> the update touched, as ReturnValues UPDATED_OLD (pass the
    /// old item) and UPDATED_NEW (pass <see cref="Item"/>) return them: whole attributes for top-level
    /// paths, just the nested part for nested paths.
    /// </summary>
    public Item SelectUpdated(Item? item) => item is null ? Item.Empty : Projector.Project(item, UpdatedPaths);
}
