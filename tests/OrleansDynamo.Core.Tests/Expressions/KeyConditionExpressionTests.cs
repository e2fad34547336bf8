using OrleansDynamo.Expressions;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

public class KeyConditionExpressionTests
{
    private static KeyCondition Resolve(string expression, params (string, OrleansDynamo.Model.AttributeValue)[] values) =>
        KeyCondition(expression, Values(values)).ResolveKeyCondition("pk", "sk");

    [Fact]
    public void Hash_key_equality_alone()
    {
        var condition = Resolve("pk = :h", (":h", S("a")));
        Assert.Equal(S("a"), condition.HashValue);
        Assert.Null(condition.SortKey);
    }

    [Theory]
    [InlineData("sk = :v", SortKeyOperator.Equal)]
    [InlineData("sk < :v", SortKeyOperator.Less)]
    [InlineData("sk <= :v", SortKeyOperator.LessOrEqual)]
    [InlineData("sk > :v", SortKeyOperator.Greater)]
    [InlineData("sk >= :v", SortKeyOperator.GreaterOrEqual)]
    [InlineData(":v > sk", SortKeyOperator.Less)]
    [InlineData(":v <= sk", SortKeyOperator.GreaterOrEqual)]
    [InlineData("begins_with(sk, :v)", SortKeyOperator.BeginsWith)]
    public void Sort_key_operators(string sortCondition, SortKeyOperator expected)
    {
        var condition = Resolve($"pk = :h AND {sortCondition}", (":h", S("a")), (":v", S("b")));
        Assert.Equal(expected, condition.SortKey!.Operator);
        Assert.Equal(S("b"), condition.SortKey.Value);
    }

    [Fact]
    public void Between_on_the_sort_key_keeps_both_bounds()
    {
        var condition = Resolve("sk BETWEEN :lo AND :hi AND pk = :h", (":h", N("1")), (":lo", N("1")), (":hi", N("9")));
        Assert.Equal(SortKeyOperator.Between, condition.SortKey!.Operator);
        Assert.Equal(N("1"), condition.SortKey.Value);
        Assert.Equal(N("9"), condition.SortKey.Upper);
    }

    [Fact]
    public void Key_names_may_be_placeholders()
    {
        var condition = KeyCondition("#p = :h", Values((":h", S("a"))), Names(("#p", "pk"))).ResolveKeyCondition("pk", null);
        Assert.Equal(S("a"), condition.HashValue);
    }

    [Fact]
    public void Sort_key_condition_matches()
    {
        Assert.True(new SortKeyCondition(SortKeyOperator.Between, N("1"), N("10")).Matches(N("10")));
        Assert.False(new SortKeyCondition(SortKeyOperator.Between, N("1"), N("10")).Matches(N("10.5")));
        Assert.True(new SortKeyCondition(SortKeyOperator.BeginsWith, S("ab")).Matches(S("abc")));
        Assert.True(new SortKeyCondition(SortKeyOperator.BeginsWith, B(1)).Matches(B(1, 2)));
        Assert.False(new SortKeyCondition(SortKeyOperator.BeginsWith, S("b")).Matches(S("abc")));
        Assert.True(new SortKeyCondition(SortKeyOperator.Less, N("2")).Matches(N("-3")));
        Assert.False(new SortKeyCondition(SortKeyOperator.Less, N("2")).Matches(S("1")));
        Assert.True(new SortKeyCondition(SortKeyOperator.Equal, N("2")).Matches(N("2.00")));
        Assert.True(new SortKeyCondition(SortKeyOperator.GreaterOrEqual, S("b")).Matches(S("b")));
        Assert.False(new SortKeyCondition(SortKeyOperator.Greater, S("b")).Matches(S("b")));
        Assert.True(new SortKeyCondition(SortKeyOperator.LessOrEqual, S("b")).Matches(S("a")));
    }

    [Fact]
    public void Missing_hash_key_condition() =>
        AssertValidation("Query condition missed key schema element: pk", () => Resolve("sk = :v", (":v", S("b"))));

    [Fact]
    public void Condition_on_a_non_key_attribute_misses_the_sort_key() =>
        AssertValidation("Query condition missed key schema element: sk",
            () => Resolve("pk = :h AND extra = :v", (":h", S("a")), (":v", S("b"))));

    [Fact]
    public void Second_condition_on_a_hash_only_table_is_not_supported() =>
        AssertValidation("Query key condition not supported",
            () => KeyCondition("pk = :h AND sk = :v", Values((":h", S("a")), (":v", S("b")))).ResolveKeyCondition("pk", null));

    [Fact]
    public void Hash_key_needs_equality() =>
        AssertValidation("Query key condition not supported", () => Resolve("pk > :h", (":h", S("a"))));

    [Fact]
    public void Hash_key_with_begins_with_is_not_supported() =>
        AssertValidation("Query key condition not supported", () => Resolve("begins_with(pk, :h)", (":h", S("a"))));

    [Theory]
    [InlineData("pk = :h OR sk = :v", "Invalid operator used in KeyConditionExpression: OR")]
    [InlineData("NOT pk = :h", "Invalid operator used in KeyConditionExpression: NOT")]
    [InlineData("pk IN (:h, :v)", "Invalid operator used in KeyConditionExpression: IN")]
    [InlineData("pk <> :h", "Invalid operator used in KeyConditionExpression: <>")]
    [InlineData("pk = :h AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists")]
    [InlineData("pk = :h AND contains(sk, :v)", "Invalid operator used in KeyConditionExpression: contains")]
    [InlineData("pk = :h AND size(sk) = :v", "KeyConditionExpressions cannot contain nested operations")]
    [InlineData("pk = :h AND sk = pk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")]
    [InlineData("pk = :h AND :v = :h", "Invalid condition in KeyConditionExpression: No key attribute specified")]
    [InlineData("pk = :h AND sk.x = :v", "KeyConditionExpressions cannot have conditions on nested attributes")]
    [InlineData("pk = :h AND pk = :v", "KeyConditionExpressions must only contain one condition per key")]
    [InlineData("pk = :h AND :v BETWEEN sk AND :v", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand")]
    [InlineData("pk = :h AND begins_with(:v, sk)", "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand")]
    public void Invalid_key_conditions_are_rejected_when_bound(string expression, string message)
    {
        var values = Values((":h", S("a")), (":v", S("b")));
        var names = expression.Contains(":v") ? values : Values((":h", S("a")));
        AssertValidation(message, () => KeyCondition(expression, names));
    }
}

public class KeyConditionSchemaTypeTests
{
    [Fact]
    public void Values_must_have_the_key_attribute_types()
    {
        var expressions = KeyCondition("pk = :h AND sk > :v", Values((":h", S("a")), (":v", N("1"))));
        var resolved = expressions.ResolveKeyCondition("pk", OrleansDynamo.Model.AttributeType.S, "sk", OrleansDynamo.Model.AttributeType.N);
        Assert.Equal(SortKeyOperator.Greater, resolved.SortKey!.Operator);
        AssertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
            () => expressions.ResolveKeyCondition("pk", OrleansDynamo.Model.AttributeType.S, "sk", OrleansDynamo.Model.AttributeType.S));
        AssertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
            () => expressions.ResolveKeyCondition("pk", OrleansDynamo.Model.AttributeType.B, "sk", OrleansDynamo.Model.AttributeType.N));
    }
}
