using BenchmarkDotNet.Attributes;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;

namespace OrleansDynamo.Benchmarks;

/// <summary>
/// The expression language's hot paths: parsing (what a cache miss costs), binding a cached expression and
/// evaluating it against a typical item (what every conditional write and filtered read pays), and applying
/// an update. Target from issue 3: a cached condition on a typical item in under 1 µs.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ExpressionBenchmarks
{
    private const string ConditionText =
        "attribute_exists(pk) AND #status = :active AND version < :next AND size(tags) > :zero AND profile.address.city IN (:a, :b, :c)";
    private const string UpdateText = "SET version = version + :one, #status = :active, history = list_append(history, :entry) ADD tags :tag REMOVE draft";

    private static readonly Dictionary<string, string> Names = new() { ["#status"] = "status" };
    private static readonly Dictionary<string, AttributeValue> ConditionValues = new()
    {
        [":active"] = AttributeValue.FromS("active"),
        [":next"] = AttributeValue.FromN("8"),
        [":zero"] = AttributeValue.FromN("0"),
        [":a"] = AttributeValue.FromS("Oslo"),
        [":b"] = AttributeValue.FromS("Lisbon"),
        [":c"] = AttributeValue.FromS("Kyoto"),
    };
    private static readonly Dictionary<string, AttributeValue> UpdateValues = new()
    {
        [":one"] = AttributeValue.FromN("1"),
        [":active"] = AttributeValue.FromS("active"),
        [":entry"] = AttributeValue.FromL([AttributeValue.FromS("edited")]),
        [":tag"] = AttributeValue.FromSS(["new"]),
    };
    private static readonly string[] KeyNames = ["pk", "sk"];

    /// <summary>A typical item: keys, scalars, a set, a list and a nested map (10 attributes).</summary>
    private static readonly Item TypicalItem = new(new Dictionary<string, AttributeValue>
    {
        ["pk"] = AttributeValue.FromS("customer#1234"),
        ["sk"] = AttributeValue.FromS("order#2024-05-01#0001"),
        ["status"] = AttributeValue.FromS("active"),
        ["version"] = AttributeValue.FromN("7"),
        ["total"] = AttributeValue.FromN("149.95"),
        ["tags"] = AttributeValue.FromSS(["priority", "gift"]),
        ["history"] = AttributeValue.FromL([AttributeValue.FromS("created"), AttributeValue.FromS("paid")]),
        ["draft"] = AttributeValue.FromBool(false),
        ["email"] = AttributeValue.FromS("someone@example.com"),
        ["profile"] = AttributeValue.FromM(new Dictionary<string, AttributeValue>
        {
            ["name"] = AttributeValue.FromS("Ada"),
            ["address"] = AttributeValue.FromM(new Dictionary<string, AttributeValue> { ["city"] = AttributeValue.FromS("Lisbon") }),
        }),
    });

    private static readonly Item Key = new(new Dictionary<string, AttributeValue> { ["pk"] = TypicalItem["pk"], ["sk"] = TypicalItem["sk"] });

    private RequestExpressions _boundCondition = null!;
    private RequestExpressions _boundUpdate = null!;

    [GlobalSetup]
    public void Setup()
    {
        _boundCondition = RequestExpressions.Bind(ConditionText, null, null, null, null, Names, ConditionValues);
        _boundUpdate = RequestExpressions.Bind(null, UpdateText, null, null, null, Names, UpdateValues);
        if (!_boundCondition.EvaluateCondition(TypicalItem)) throw new InvalidOperationException("The benchmark condition must hold");
    }

    [Benchmark(Description = "Parse condition (uncached)")]
    public object ParseCondition() => ExpressionParser.ParseCondition(ConditionText, ExpressionKind.ConditionExpression);

    [Benchmark(Description = "Parse update (uncached)")]
    public object ParseUpdate() => ExpressionParser.ParseUpdate(UpdateText);

    [Benchmark(Baseline = true, Description = "Bind (cached) + EvaluateCondition")]
    public bool BindAndEvaluateCondition() =>
        RequestExpressions.Bind(ConditionText, null, null, null, null, Names, ConditionValues).EvaluateCondition(TypicalItem);

    /// <summary>What a partition grain pays per request: the edge already validated it.</summary>
    [Benchmark(Description = "Bind (cached, validated at the edge) + EvaluateCondition")]
    public bool BindValidatedAndEvaluateCondition() =>
        RequestExpressions.Bind(ConditionText, null, null, null, null, Names, ConditionValues, LegacyParameters.None, validated: true)
            .EvaluateCondition(TypicalItem);

    [Benchmark(Description = "EvaluateCondition (bound)")]
    public bool EvaluateCondition() => _boundCondition.EvaluateCondition(TypicalItem);

    [Benchmark(Description = "Bind (cached) + ApplyUpdate")]
    public Item BindAndApplyUpdate() =>
        RequestExpressions.Bind(null, UpdateText, null, null, null, Names, UpdateValues).ApplyUpdate(TypicalItem, Key, KeyNames).Item;

    [Benchmark(Description = "ApplyUpdate (bound)")]
    public Item ApplyUpdate() => _boundUpdate.ApplyUpdate(TypicalItem, Key, KeyNames).Item;
}
