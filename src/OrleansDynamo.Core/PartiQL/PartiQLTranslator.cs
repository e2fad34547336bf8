using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.PartiQL;

/// <summary>
/// Turns a parsed statement into the request it stands for, in DynamoDB's expression language with
/// <c>#n</c>/<c>:v</c> placeholders, so that it runs on the one request path (validation, routing, execution)
/// like any other request: a SELECT as Query when its WHERE fixes the partition key with <c>=</c> (and the sort
/// key condition, when there is one, becomes part of the key condition), else as Scan; INSERT as PutItem on
/// condition that the item does not exist; UPDATE and DELETE as UpdateItem and DeleteItem of the item their
/// WHERE names by its whole key, the rest of the WHERE being the condition.
/// </summary>
internal sealed class PartiQLTranslator(IReadOnlyList<AttributeValue> parameters, TableInfo table)
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

    private IReadOnlyDictionary<string, string>? Names => _names.Count == 0 ? null : _names.ToDictionary(e => e.Value, e => e.Key);
    private IReadOnlyDictionary<string, AttributeValue>? Values => _values.Count == 0 ? null : _values;

    /// <summary>A SELECT that fixes the partition key: one Query per partition-key value, run in order.</summary>
    public IReadOnlyList<QueryRequest>? Queries { get; private set; }
    public ScanRequest? Scan { get; private set; }

    /// <summary>The most partition-key values a SELECT may name with IN or OR, as DynamoDB allows.</summary>
    public const int MaxPartitionValues = 50;

    /// <summary>The placeholder of the partition-key value in each of <see cref="Queries"/>.</summary>
    private const string PartitionValue = ":pk";

    public void Select(PqlSelect select, bool? consistentRead, string? returnConsumedCapacity)
    {
        var schema = select.Index is null ? table.Schema : (table.FindIndex(select.Index) ?? throw DynamoErrors.PartiQLIndexNotFound(select.Table, select.Index)).KeySchema;
        var conjuncts = Conjuncts(select.Where);
        var partition = conjuncts.FirstOrDefault(c => PartitionValues(c, schema.HashKey.Name) is not null);
        var descending = OrderOf(select, schema, partition is not null);
        if (partition is null)
        {
            var projection = ProjectionOf(select);
            Scan = new ScanRequest
            {
                TableName = select.Table, IndexName = select.Index, FilterExpression = select.Where is null ? null : Condition(select.Where),
                ProjectionExpression = projection, ExpressionAttributeNames = Names, ExpressionAttributeValues = Values, ConsistentRead = consistentRead,
                ReturnConsumedCapacity = returnConsumedCapacity,
            };
            return;
        }
        var values = PartitionValues(partition, schema.HashKey.Name)!.Select(Bind).Distinct().ToList();
        if (values.Count > MaxPartitionValues) throw DynamoErrors.PartiQLTooManyPartitionValues(MaxPartitionValues);
        if (select.OrderBy is [{ } first, ..] && first.Attribute == schema.HashKey.Name)
        {
            // Ordered by the partition key: the partitions are read in that order.
            values.Sort(AttributeValueComparer.CompareKeys);
            if (first.Descending) values.Reverse();
        }
        var rest = conjuncts.Where(c => c != partition).ToList();
        var sort = schema.RangeKey is { } range ? rest.FirstOrDefault(c => IsSortKeyCondition(c, range.Name)) : null;
        if (sort is not null) rest.Remove(sort);
        var key = $"{Name(schema.HashKey.Name)} = {PartitionValue}" + (sort is null ? "" : " AND " + Condition(sort));
        // A Query's filter may not name key attributes: conditions on them are applied to the items read instead.
        var keyNames = schema.KeyAttributes.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var onKeys = rest.Where(c => Mentions(c, keyNames)).ToList();
        rest.RemoveAll(onKeys.Contains);
        var filter = rest.Count == 0 ? null : Condition(And(rest));
        var selected = onKeys.Count > 0 ? KeepOnly(select, onKeys) : ProjectionOf(select);
        var template = new QueryRequest
        {
            TableName = select.Table, IndexName = select.Index, KeyConditionExpression = key, FilterExpression = filter, ProjectionExpression = selected,
            ExpressionAttributeNames = Names, ConsistentRead = consistentRead, ScanIndexForward = descending is null ? null : !descending,
            ReturnConsumedCapacity = returnConsumedCapacity,
        };
        Queries = values.Select(value => template with { ExpressionAttributeValues = new Dictionary<string, AttributeValue>(_values) { [PartitionValue] = value } }).ToList();
    }

    /// <summary>
    /// The direction ORDER BY asks for (null without it), checked as DynamoDB checks it: a WHERE that fixes the
    /// partition key, and key attributes only. The sort key's term gives the direction; else the first term's.
    /// </summary>
    private static bool? OrderOf(PqlSelect select, TableSchema schema, bool fixesPartition)
    {
        if (select.OrderBy.Count == 0) return null;
        if (select.Where is null) throw DynamoErrors.PartiQLOrderByNeedsWhere();
        foreach (var term in select.OrderBy)
            if (term.Attribute != schema.HashKey.Name && term.Attribute != schema.RangeKey?.Name) throw DynamoErrors.PartiQLOrderByNotKey(term.Attribute);
        if (!fixesPartition) throw DynamoErrors.PartiQLOrderByNeedsKey();
        return (select.OrderBy.FirstOrDefault(t => t.Attribute == schema.RangeKey?.Name) ?? select.OrderBy[0]).Descending;
    }

    /// <summary>
    /// The ProjectionExpression of a SELECT. A nested path comes back under its last name, not inside its maps, so
    /// a SELECT with one reads whole items and <see cref="Shape"/> picks the paths out.
    /// </summary>
    private string? ProjectionOf(PqlSelect select)
    {
        if (select.Projection is null) return null;
        if (select.Projection.All(p => p.TopName is not null)) return string.Join(", ", select.Projection.Select(Path));
        var paths = select.Projection.Select(p => (Name: (string)p.Steps.Last(s => s is string), Steps: p.Steps.Select(Step).ToArray())).ToList();
        Shape = item =>
        {
            var picked = new List<KeyValuePair<string, AttributeValue>>(paths.Count);
            foreach (var (name, steps) in paths)
                if (Bindings.Get(item, steps) is { } value) picked.Add(new(name, value));
            return new Item(picked);
        };
        return null;
    }

    private static PathStep Step(object step) => step is int index ? new(null, index) : new((string)step, 0);

    /// <summary>What turns a read item into the statement's result, when its projection has nested paths.</summary>
    public Func<Item, Item>? Shape { get; private set; }

    /// <summary>Which items read belong to the result, when the WHERE has conditions the request cannot carry.</summary>
    public Func<Item, bool>? Keep { get; private set; }

    /// <summary>
    /// Sets <see cref="Keep"/> to the conditions, applied to the items read. Those items must carry what the
    /// conditions read, so the projection moves to <see cref="Shape"/> and no ProjectionExpression is sent (null is
    /// returned). Both are written with placeholders of their own, so that the request sent uses all of its own.
    /// </summary>
    private string? KeepOnly(PqlSelect select, IReadOnlyList<PqlCondition> conditions)
    {
        var own = new PartiQLTranslator(parameters, table);
        var condition = own.Condition(And(conditions));
        Keep = RequestExpressions.Bind(condition, null, null, null, null, own.Names, own.Values, LegacyParameters.None, validated: true).EvaluateCondition;
        var projection = own.ProjectionOf(select);
        Shape = own.Shape ?? (projection is null ? null
            : RequestExpressions.Bind(null, null, projection, null, null, own.Names, null, LegacyParameters.None, validated: true).Project);
        return null;
    }

    private static bool Mentions(PqlCondition condition, IReadOnlySet<string> names) => condition switch
    {
        PqlAnd and => Mentions(and.Left, names) || Mentions(and.Right, names),
        PqlOr or => Mentions(or.Left, names) || Mentions(or.Right, names),
        PqlNot not => Mentions(not.Operand, names),
        PqlComparison comparison => Mentions(comparison.Left, names) || Mentions(comparison.Right, names),
        PqlBetween between => Mentions(between.Value, names) || Mentions(between.Low, names) || Mentions(between.High, names),
        PqlIn @in => Mentions(@in.Value, names) || @in.Options.Any(o => Mentions(o, names)),
        PqlIs @is => names.Contains((string)@is.Path.Steps[0]),
        PqlFunctionCondition function => Mentions(function.Call, names),
        _ => false,
    };

    private static bool Mentions(PqlExpr expr, IReadOnlySet<string> names) => expr switch
    {
        PqlPath path => path.Steps[0] is string name && names.Contains(name),
        PqlCall call => call.Arguments.Any(a => Mentions(a, names)),
        PqlArithmetic sum => Mentions(sum.Left, names) || Mentions(sum.Right, names),
        _ => false,
    };

    /// <summary>
    /// The partition-key values a condition fixes: <c>pk = v</c>, <c>pk IN [v, ...]</c>, or an OR of those.
    /// </summary>
    private static List<PqlExpr>? PartitionValues(PqlCondition condition, string hashKey) => condition switch
    {
        PqlIn { Value: PqlPath path } options when path.TopName == hashKey && options.Options.All(IsConstant) => [.. options.Options],
        PqlOr either when PartitionValues(either.Left, hashKey) is { } left && PartitionValues(either.Right, hashKey) is { } right => [.. left, .. right],
        _ => EqualityOn(condition, hashKey) is { } value ? [value] : null,
    };

    public PutItemRequest Insert(PqlInsert insert, string? returnConsumedCapacity, string? returnValuesOnConditionCheckFailure)
    {
        var item = Bind(insert.Value);
        if (item.Type != AttributeType.M) throw DynamoErrors.PartiQLInsertNeedsItem();
        return new PutItemRequest
        {
            TableName = insert.Table,
            Item = new Item(item.M),
            ConditionExpression = $"attribute_not_exists({Name(table.Schema.HashKey.Name)})",
            ExpressionAttributeNames = Names,
            ReturnConsumedCapacity = returnConsumedCapacity,
            ReturnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure,
        };
    }

    public UpdateItemRequest Update(PqlUpdate update, string? returnConsumedCapacity, string? returnValuesOnConditionCheckFailure)
    {
        var (key, rest) = KeyOf(update.Where);
        var sections = new List<string>();
        var sets = new List<string>();
        var adds = new List<string>();
        var deletes = new List<string>();
        foreach (var assignment in update.Sets)
        {
            if (assignment.Value is PqlCall { Name: "set_add" or "set_delete", Arguments: [PqlPath target, var elements] } call && target.Steps.SequenceEqual(assignment.Path.Steps))
                (call.Name == "set_add" ? adds : deletes).Add($"{Path(assignment.Path)} {Value(Bind(elements))}");
            else sets.Add($"{Path(assignment.Path)} = {Operand(assignment.Value)}");
        }
        if (sets.Count > 0) sections.Add("SET " + string.Join(", ", sets));
        if (update.Removes.Count > 0) sections.Add("REMOVE " + string.Join(", ", update.Removes.Select(Path)));
        if (adds.Count > 0) sections.Add("ADD " + string.Join(", ", adds));
        if (deletes.Count > 0) sections.Add("DELETE " + string.Join(", ", deletes));
        // An UPDATE changes an existing item only.
        var condition = string.Join(" AND ", [$"attribute_exists({Name(table.Schema.HashKey.Name)})", .. rest.Select(c => "(" + Condition(c) + ")")]);
        return new UpdateItemRequest
        {
            TableName = update.Table, Key = key, UpdateExpression = string.Join(" ", sections), ConditionExpression = condition,
            ExpressionAttributeNames = Names, ExpressionAttributeValues = Values, ReturnValues = update.Returning,
            ReturnConsumedCapacity = returnConsumedCapacity, ReturnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure,
        };
    }

    public DeleteItemRequest Delete(PqlDelete delete, string? returnConsumedCapacity, string? returnValuesOnConditionCheckFailure)
    {
        if (delete.Returning is not (null or "ALL_OLD")) throw DynamoErrors.PartiQLReturningNotSupported(delete.Returning);
        var (key, rest) = KeyOf(delete.Where);
        return new DeleteItemRequest
        {
            TableName = delete.Table, Key = key, ConditionExpression = rest.Count == 0 ? null : Condition(And(rest)),
            ExpressionAttributeNames = Names, ExpressionAttributeValues = Values, ReturnValues = delete.Returning,
            ReturnConsumedCapacity = returnConsumedCapacity, ReturnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure,
        };
    }

    /// <summary>The whole key a WHERE names (by <c>=</c> on each key attribute) and the conditions left over.</summary>
    public (Item Key, List<PqlCondition> Others) KeyOf(PqlCondition? where)
    {
        var conjuncts = Conjuncts(where);
        var key = new List<KeyValuePair<string, AttributeValue>>();
        foreach (var attribute in table.Schema.KeyAttributes)
        {
            var equality = conjuncts.FirstOrDefault(c => EqualityOn(c, attribute.Name) is not null) ?? throw DynamoErrors.PartiQLWhereNeedsKey();
            conjuncts.Remove(equality);
            key.Add(new(attribute.Name, Bind(EqualityOn(equality, attribute.Name)!)));
        }
        return (new Item(key), conjuncts);
    }

    /// <summary>Whether a SELECT names one item of the table by its whole key and asks nothing else of it.</summary>
    public bool IsKeyRead(PqlSelect select)
    {
        if (select.Index is not null || select.OrderBy.Count > 0) return false;
        var conjuncts = Conjuncts(select.Where);
        return conjuncts.Count == table.Schema.KeyAttributes.Count()
            && table.Schema.KeyAttributes.All(k => conjuncts.Any(c => EqualityOn(c, k.Name) is not null));
    }

    /// <summary>A SELECT of one item by its whole key and nothing else (what BatchExecuteStatement and transactions read).</summary>
    public (Item Key, string? Projection) KeyRead(PqlSelect select)
    {
        var (key, rest) = KeyOf(select.Where);
        if (rest.Count > 0) throw DynamoErrors.PartiQLWhereNeedsKey();
        return (key, ProjectionOf(select));
    }

    public string ConditionOf(IReadOnlyList<PqlCondition> conditions) => Condition(And(conditions));

    public IReadOnlyDictionary<string, string>? ExpressionAttributeNames => Names;
    public IReadOnlyDictionary<string, AttributeValue>? ExpressionAttributeValues => Values;

    // ---- where clauses ----------------------------------------------------------------------

    private static List<PqlCondition> Conjuncts(PqlCondition? where)
    {
        var all = new List<PqlCondition>();
        void Add(PqlCondition c)
        {
            if (c is PqlAnd and) { Add(and.Left); Add(and.Right); }
            else all.Add(c);
        }
        if (where is not null) Add(where);
        return all;
    }

    private static PqlCondition And(IReadOnlyList<PqlCondition> conditions) => conditions.Skip(1).Aggregate(conditions[0], (a, b) => new PqlAnd(a, b));

    /// <summary>The value a condition sets an attribute to with <c>=</c>, when it is that.</summary>
    private static PqlExpr? EqualityOn(PqlCondition condition, string attribute) => condition switch
    {
        PqlComparison { Operator: "=", Left: PqlPath left, Right: var right } when left.TopName == attribute && IsConstant(right) => right,
        PqlComparison { Operator: "=", Left: var left, Right: PqlPath right } when right.TopName == attribute && IsConstant(left) => left,
        _ => null,
    };

    private static bool IsSortKeyCondition(PqlCondition condition, string attribute) => condition switch
    {
        PqlComparison { Operator: not "<>", Left: PqlPath left, Right: var right } => left.TopName == attribute && IsConstant(right),
        PqlBetween { Value: PqlPath path, Low: var low, High: var high } => path.TopName == attribute && IsConstant(low) && IsConstant(high),
        PqlFunctionCondition { Call: { Name: "begins_with", Arguments: [PqlPath path, var prefix] } } => path.TopName == attribute && IsConstant(prefix),
        _ => false,
    };

    private static bool IsConstant(PqlExpr expr) => expr is PqlLiteral or PqlParameter or PqlList or PqlMap or PqlSet;

    // ---- rendering --------------------------------------------------------------------------

    private string Condition(PqlCondition condition) => condition switch
    {
        PqlAnd and => $"({Condition(and.Left)}) AND ({Condition(and.Right)})",
        PqlOr or => $"({Condition(or.Left)}) OR ({Condition(or.Right)})",
        PqlNot not => $"NOT ({Condition(not.Operand)})",
        PqlComparison comparison => $"{Operand(comparison.Left)} {comparison.Operator} {Operand(comparison.Right)}",
        PqlBetween between => $"{Operand(between.Value)} BETWEEN {Operand(between.Low)} AND {Operand(between.High)}",
        PqlIn @in => $"{Operand(@in.Value)} IN ({string.Join(", ", @in.Options.Select(Operand))})",
        PqlIs { Type: PqlIs.Missing } missing => $"{(missing.Negated ? "attribute_exists" : "attribute_not_exists")}({Path(missing.Path)})",
        PqlIs @is => $"{(@is.Negated ? "NOT " : "")}attribute_type({Path(@is.Path)}, {Value(AttributeValue.FromS(@is.Type))})",
        PqlFunctionCondition function => Call(function.Call),
        _ => throw DynamoErrors.PartiQLSyntax("unsupported condition"),
    };

    private string Operand(PqlExpr expr) => expr switch
    {
        PqlPath path => Path(path),
        PqlCall call => Call(call),
        PqlArithmetic sum => $"{Operand(sum.Left)} {(sum.IsPlus ? "+" : "-")} {Operand(sum.Right)}",
        _ => Value(Bind(expr)),
    };

    private static readonly HashSet<string> Functions = ["begins_with", "contains", "attribute_type", "size", "list_append", "if_not_exists"];

    private string Call(PqlCall call) => Functions.Contains(call.Name)
        ? $"{call.Name}({string.Join(", ", call.Arguments.Select(Operand))})"
        : throw DynamoErrors.PartiQLUnknownFunction(call.Name);

    private string Path(PqlPath path)
    {
        var text = new StringBuilder();
        foreach (var step in path.Steps)
        {
            if (step is int index) text.Append('[').Append(index).Append(']');
            else
            {
                if (text.Length > 0) text.Append('.');
                text.Append(Name((string)step));
            }
        }
        return text.ToString();
    }

    private string Name(string name)
    {
        if (!_names.TryGetValue(name, out var placeholder)) _names[name] = placeholder = "#n" + _names.Count;
        return placeholder;
    }

    private string Value(AttributeValue value)
    {
        var placeholder = ":v" + _values.Count;
        _values[placeholder] = value;
        return placeholder;
    }

    /// <summary>A constant's value, with parameters bound.</summary>
    public AttributeValue Bind(PqlExpr expr) => expr switch
    {
        PqlLiteral literal => literal.Value,
        PqlParameter parameter => parameters[parameter.Index],
        PqlList list => AttributeValue.FromL(list.Items.Select(Bind)),
        PqlMap map => AttributeValue.FromM(map.Members.ToDictionary(m => m.Key, m => Bind(m.Value), StringComparer.Ordinal)),
        PqlSet set => SetOf(set.Items.Select(Bind).ToList()),
        _ => throw DynamoErrors.PartiQLSyntax("a value was expected"),
    };

    private static AttributeValue SetOf(List<AttributeValue> members)
    {
        if (members.Count > 0 && members.All(m => m.Type == AttributeType.S)) return AttributeValue.FromSS(members.Select(m => m.S).Distinct(StringComparer.Ordinal));
        if (members.Count > 0 && members.All(m => m.Type == AttributeType.N)) return AttributeValue.FromNS(members.Select(m => m.N).Distinct());
        if (members.Count > 0 && members.All(m => m.Type == AttributeType.B)) return AttributeValue.FromBS(members.Select(m => m.B.ToArray()));
        throw DynamoErrors.PartiQLInvalidSet();
    }
}
