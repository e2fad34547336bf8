using OrleansDynamo.Expressions;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

/// <summary>The request-level rules of ExpressionAttributeNames and ExpressionAttributeValues.</summary>
public class BindTests
{
    [Fact]
    public void Names_without_any_expression_are_rejected() =>
        AssertValidation("ExpressionAttributeNames can only be specified when using expressions",
            () => RequestExpressions.Bind(null, null, null, null, null, Names(("#a", "a")), null));

    [Fact]
    public void Values_without_an_expression_that_can_use_them_are_rejected()
    {
        AssertValidation("ExpressionAttributeValues can only be specified when using expressions",
            () => RequestExpressions.Bind(null, null, "a", null, null, null, Values((":v", N("1")))));
        AssertValidation("ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
            () => RequestExpressions.Bind(null, null, null, null, null, null, Values((":v", N("1"))), ["ConditionExpression"]));
        AssertValidation("ExpressionAttributeValues can only be specified when using expressions: KeyConditionExpression and FilterExpression are null",
            () => RequestExpressions.Bind(null, null, null, null, null, null, Values((":v", N("1"))), ["KeyConditionExpression", "FilterExpression"]));
    }

    [Fact]
    public void Empty_names_and_values_are_rejected()
    {
        AssertValidation("ExpressionAttributeNames must not be empty", () => Condition("a = :v", Values((":v", N("1"))), Names()));
        AssertValidation("ExpressionAttributeValues must not be empty", () => Condition("attribute_exists(a)", Values()));
    }

    [Fact]
    public void Malformed_placeholder_keys_are_rejected()
    {
        AssertValidation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"",
            () => Condition("attribute_exists(a)", names: Names(("a", "a"))));
        AssertValidation("ExpressionAttributeValues contains invalid key: Syntax error; key: \":a-b\"",
            () => Condition("attribute_exists(a)", Values((":a-b", N("1")))));
    }

    [Fact]
    public void Unused_names_are_rejected() =>
        AssertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#n, #m}",
            () => Condition("#a = :v", Values((":v", N("1"))), Names(("#a", "a"), ("#n", "n"), ("#m", "m"))));

    [Fact]
    public void Unused_values_are_rejected() =>
        AssertValidation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
            () => Condition("attribute_exists(a)", Values((":v", N("1")))));

    [Fact]
    public void Unused_names_are_reported_before_unused_values() =>
        AssertValidation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}",
            () => Condition("attribute_exists(a)", Values((":v", N("1"))), Names(("#n", "n"))));

    [Fact]
    public void Placeholders_may_be_shared_between_the_expressions_of_a_request()
    {
        var expressions = RequestExpressions.Bind("#a = :v", "SET #b = :v", "#a, #b", null, null,
            Names(("#a", "a"), ("#b", "b")), Values((":v", N("1"))));
        Assert.True(expressions.HasCondition && expressions.HasUpdate && expressions.HasProjection);
    }

    [Fact]
    public void A_name_used_only_in_the_projection_counts_as_used()
    {
        var expressions = RequestExpressions.Bind("a = :v", null, "#p", null, null, Names(("#p", "p")), Values((":v", N("1"))));
        Assert.True(expressions.HasProjection);
    }

    [Fact]
    public void Update_expression_is_validated_before_the_condition() =>
        AssertValidation("Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x",
            () => RequestExpressions.Bind("a = :y", "SET a = :x", null, null, null, null, Values((":v", N("1")))));

    [Fact]
    public void Reserved_words_are_accepted_through_name_placeholders()
    {
        var expressions = Condition("#n = :v", Values((":v", S("x"))), Names(("#n", "name")));
        Assert.True(expressions.EvaluateCondition(ItemOf(("name", S("x")))));
    }

    [Fact]
    public void Parsed_trees_are_shared_between_requests_with_the_same_text()
    {
        var expression = "cache_probe_" + Guid.NewGuid().ToString("N") + " = :v";
        Condition(expression, Values((":v", N("1"))));
        var before = ExpressionCacheCount();
        var second = Condition(expression, Values((":v", N("2"))));
        Assert.Equal(before, ExpressionCacheCount());
        // Same tree, different values: each binding evaluates with its own.
        Assert.True(second.EvaluateCondition(ItemOf((expression[..^5], N("2")))));
    }

    private static int ExpressionCacheCount() => ExpressionCache.Count;
}
