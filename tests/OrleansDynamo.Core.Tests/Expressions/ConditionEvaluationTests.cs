using OrleansDynamo.Model;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

public class ConditionEvaluationTests
{
    private static readonly Item Sample = ItemOf(
        ("id", S("abc")),
        ("n", N("10")),
        ("s", S("hello world")),
        ("b", B(1, 2, 3)),
        ("tags", SS("red", "blue")),
        ("nums", NS("1", "2")),
        ("bins", BS([1], [2])),
        ("arr", L(S("x"), N("5"), M(("deep", S("y"))))),
        ("doc", M(("nest", M(("leaf", N("7")))), ("str", S("v")))),
        ("flag", Bool(true)),
        ("nothing", AttributeValue.Null));

    private static bool Eval(string expression, params (string, AttributeValue)[] values) =>
        Condition(expression, values.Length == 0 ? null : Values(values)).EvaluateCondition(Sample);

    [Theory]
    [InlineData("n = :v", "10", true)]
    [InlineData("n = :v", "10.0", true)]
    [InlineData("n = :v", "11", false)]
    [InlineData("n <> :v", "11", true)]
    [InlineData("n <> :v", "10", false)]
    [InlineData("n < :v", "11", true)]
    [InlineData("n < :v", "10", false)]
    [InlineData("n <= :v", "10", true)]
    [InlineData("n > :v", "9.5", true)]
    [InlineData("n > :v", "10", false)]
    [InlineData("n >= :v", "10", true)]
    [InlineData("n >= :v", "-100", true)]
    [InlineData(":v < n", "9", true)]
    public void Comparisons_on_numbers_are_numeric(string expression, string value, bool expected) =>
        Assert.Equal(expected, Eval(expression, (":v", N(value))));

    [Theory]
    [InlineData("s < :v", "hello x", true)]
    [InlineData("s > :v", "hello", true)]
    [InlineData("s = :v", "hello world", true)]
    [InlineData("s < :v", "Hello", false)]
    public void Comparisons_on_strings_are_by_bytes(string expression, string value, bool expected) =>
        Assert.Equal(expected, Eval(expression, (":v", S(value))));

    [Fact]
    public void Comparisons_on_binaries_are_unsigned()
    {
        Assert.True(Eval("b < :v", (":v", B(1, 2, 200))));
        Assert.False(Eval("b > :v", (":v", B(1, 2, 200))));
    }

    [Fact]
    public void Comparison_across_types_is_false_not_an_error()
    {
        Assert.False(Eval("n = :v", (":v", S("10"))));
        Assert.False(Eval("n < :v", (":v", S("10"))));
        Assert.False(Eval("n >= :v", (":v", S("10"))));
        Assert.True(Eval("n <> :v", (":v", S("10"))));
    }

    [Fact]
    public void Comparison_with_a_missing_attribute_is_false_but_not_equal_is_true()
    {
        Assert.False(Eval("absent = :v", (":v", N("1"))));
        Assert.False(Eval("absent < :v", (":v", N("1"))));
        Assert.True(Eval("absent <> :v", (":v", N("1"))));
    }

    [Fact]
    public void Equality_compares_sets_maps_and_lists_by_content()
    {
        Assert.True(Eval("tags = :v", (":v", SS("blue", "red"))));
        Assert.False(Eval("tags = :v", (":v", SS("blue"))));
        Assert.True(Eval("doc.nest = :v", (":v", M(("leaf", N("7"))))));
        Assert.True(Eval("arr[2] = :v", (":v", M(("deep", S("y"))))));
    }

    [Fact]
    public void Ordering_comparisons_on_non_scalar_paths_are_false()
    {
        Assert.False(Eval("tags < doc"));
        Assert.False(Eval("flag > doc"));
    }

    [Fact]
    public void Comparing_two_paths_reads_both_from_the_item() =>
        Assert.True(Eval("doc.nest.leaf < n"));

    [Fact]
    public void Nested_paths_and_list_indexes_are_followed()
    {
        Assert.True(Eval("doc.nest.leaf = :v", (":v", N("7"))));
        Assert.True(Eval("arr[1] = :v", (":v", N("5"))));
        Assert.True(Eval("arr[2].deep = :v", (":v", S("y"))));
        Assert.False(Eval("arr[3] = :v", (":v", N("5"))));
        Assert.False(Eval("doc[0] = :v", (":v", N("5"))));
        Assert.False(Eval("arr.x = :v", (":v", N("5"))));
    }

    [Fact]
    public void Name_placeholders_resolve_to_attribute_names()
    {
        var expressions = Condition("#a.#b = :v", Values((":v", S("v"))), Names(("#a", "doc"), ("#b", "str")));
        Assert.True(expressions.EvaluateCondition(Sample));
    }

    [Fact]
    public void A_placeholder_name_is_taken_literally_including_dots()
    {
        var item = ItemOf(("a.b", N("1")));
        Assert.True(Condition("#n = :v", Values((":v", N("1"))), Names(("#n", "a.b"))).EvaluateCondition(item));
        Assert.False(Condition("#n = :v", Values((":v", N("1"))), Names(("#n", "a.b"))).EvaluateCondition(ItemOf(("a", M(("b", N("1")))))));
    }

    [Theory]
    [InlineData("n BETWEEN :lo AND :hi", "5", "10", true)]
    [InlineData("n BETWEEN :lo AND :hi", "10", "20", true)]
    [InlineData("n BETWEEN :lo AND :hi", "11", "20", false)]
    [InlineData("n between :lo and :hi", "1", "9", false)]
    public void Between_is_inclusive(string expression, string lower, string upper, bool expected) =>
        Assert.Equal(expected, Eval(expression, (":lo", N(lower)), (":hi", N(upper))));

    [Fact]
    public void Between_with_bounds_of_another_type_is_false() =>
        Assert.False(Eval("s BETWEEN :lo AND :hi", (":lo", N("1")), (":hi", N("2"))));

    [Fact]
    public void In_matches_any_candidate()
    {
        Assert.True(Eval("n IN (:a, :b)", (":a", N("1")), (":b", N("10"))));
        Assert.False(Eval("n IN (:a, :b)", (":a", N("1")), (":b", S("10"))));
        Assert.False(Eval("absent IN (:a)", (":a", N("1"))));
        Assert.True(Eval("n in (:a)", (":a", N("10"))));
    }

    [Fact]
    public void Attribute_exists_and_attribute_not_exists()
    {
        Assert.True(Eval("attribute_exists(n)"));
        Assert.True(Eval("attribute_exists(nothing)"));
        Assert.False(Eval("attribute_exists(absent)"));
        Assert.True(Eval("attribute_not_exists(absent)"));
        Assert.False(Eval("attribute_not_exists(doc.nest.leaf)"));
        Assert.True(Eval("attribute_not_exists(doc.nest.zzz)"));
        Assert.True(Eval("attribute_exists(arr[0])"));
    }

    [Fact]
    public void Condition_on_no_item_sees_every_attribute_as_missing()
    {
        var expressions = Condition("attribute_not_exists(id) AND NOT id = :v", Values((":v", S("abc"))));
        Assert.True(expressions.EvaluateCondition(null));
        Assert.False(expressions.EvaluateCondition(Sample));
    }

    [Theory]
    [InlineData("n", "N", true)]
    [InlineData("s", "S", true)]
    [InlineData("b", "B", true)]
    [InlineData("tags", "SS", true)]
    [InlineData("nums", "NS", true)]
    [InlineData("bins", "BS", true)]
    [InlineData("arr", "L", true)]
    [InlineData("doc", "M", true)]
    [InlineData("flag", "BOOL", true)]
    [InlineData("nothing", "NULL", true)]
    [InlineData("n", "S", false)]
    [InlineData("absent", "S", false)]
    public void Attribute_type_checks_the_type(string path, string type, bool expected) =>
        Assert.Equal(expected, Eval($"attribute_type({path}, :t)", (":t", S(type))));

    [Fact]
    public void Begins_with_works_on_strings_and_binaries()
    {
        Assert.True(Eval("begins_with(s, :p)", (":p", S("hello"))));
        Assert.False(Eval("begins_with(s, :p)", (":p", S("world"))));
        Assert.True(Eval("begins_with(b, :p)", (":p", B(1, 2))));
        Assert.False(Eval("begins_with(b, :p)", (":p", B(2))));
        Assert.False(Eval("begins_with(n, :p)", (":p", S("1"))));
        Assert.False(Eval("begins_with(absent, :p)", (":p", S("1"))));
    }

    [Fact]
    public void Contains_works_on_strings_sets_and_lists()
    {
        Assert.True(Eval("contains(s, :v)", (":v", S("lo wo"))));
        Assert.False(Eval("contains(s, :v)", (":v", S("xyz"))));
        Assert.True(Eval("contains(tags, :v)", (":v", S("red"))));
        Assert.False(Eval("contains(tags, :v)", (":v", S("green"))));
        Assert.True(Eval("contains(nums, :v)", (":v", N("2.0"))));
        Assert.False(Eval("contains(nums, :v)", (":v", S("2"))));
        Assert.True(Eval("contains(bins, :v)", (":v", B(2))));
        Assert.True(Eval("contains(arr, :v)", (":v", N("5"))));
        Assert.True(Eval("contains(arr, :v)", (":v", M(("deep", S("y"))))));
        Assert.False(Eval("contains(arr, :v)", (":v", S("5"))));
        Assert.False(Eval("contains(doc, :v)", (":v", S("str"))));
        Assert.False(Eval("contains(absent, :v)", (":v", S("x"))));
    }

    [Fact]
    public void Contains_with_a_path_operand_reads_it_from_the_item()
    {
        var item = ItemOf(("tags", SS("a", "b")), ("wanted", S("b")));
        Assert.True(Condition("contains(tags, wanted)").EvaluateCondition(item));
    }

    [Theory]
    [InlineData("size(s) = :v", "11")]
    [InlineData("size(b) = :v", "3")]
    [InlineData("size(tags) = :v", "2")]
    [InlineData("size(nums) = :v", "2")]
    [InlineData("size(bins) = :v", "2")]
    [InlineData("size(arr) = :v", "3")]
    [InlineData("size(doc) = :v", "2")]
    [InlineData(":v = size(doc.nest)", "1")]
    public void Size_counts_characters_bytes_and_members(string expression, string size) =>
        Assert.True(Eval(expression, (":v", N(size))));

    [Fact]
    public void Size_of_a_missing_or_numeric_attribute_makes_the_comparison_false()
    {
        Assert.False(Eval("size(absent) = :v", (":v", N("0"))));
        Assert.False(Eval("size(n) = :v", (":v", N("2"))));
        Assert.True(Eval("size(absent) <> :v", (":v", N("0"))));
    }

    [Fact]
    public void Size_can_be_compared_with_size()
    {
        Assert.True(Eval("size(tags) = size(nums)"));
        Assert.True(Eval("size(s) BETWEEN :a AND :b", (":a", N("1")), (":b", N("20"))));
    }

    [Fact]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or()
    {
        var values = Values((":t", N("10")), (":f", N("0")));
        // true OR (false AND false) = true; (true OR false) AND false would be false.
        Assert.True(Condition("n = :t OR n = :f AND n = :f", values).EvaluateCondition(Sample));
        // (NOT false) AND true = true; NOT (false AND true) is also true, so check a case that differs:
        // NOT true AND false = false; NOT (true AND false) = true.
        Assert.False(Condition("NOT n = :t AND n = :f", values).EvaluateCondition(Sample));
        Assert.True(Condition("NOT (n = :t AND n = :f)", values).EvaluateCondition(Sample));
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var values = Values((":t", N("10")), (":f", N("0")));
        Assert.False(Condition("(n = :t OR n = :f) AND n = :f", values).EvaluateCondition(Sample));
    }

    [Fact]
    public void Not_can_be_repeated()
    {
        var values = Values((":t", N("10")));
        Assert.True(Condition("NOT NOT n = :t", values).EvaluateCondition(Sample));
    }

    [Fact]
    public void Keywords_and_whitespace_are_flexible()
    {
        var values = Values((":t", N("10")));
        Assert.True(Condition("  n=:t\tand\r\n(attribute_exists ( s ))  ", values).EvaluateCondition(Sample));
        Assert.True(Condition("n = :t Or n = :t", values).EvaluateCondition(Sample));
    }

    [Fact]
    public void Parenthesised_operands_are_allowed()
    {
        Assert.True(Eval("(n) = (:v)", (":v", N("10"))));
        Assert.True(Eval("(begins_with(s, :p))", (":p", S("he"))));
    }

    [Fact]
    public void Filter_expression_evaluates_like_a_condition()
    {
        var expressions = RequestExpressions_Filter("n > :v", Values((":v", N("5"))));
        Assert.True(expressions.EvaluateFilter(Sample));
        Assert.False(expressions.EvaluateFilter(ItemOf(("n", N("1")))));
        Assert.True(expressions.EvaluateCondition(Sample));
    }

    [Fact]
    public void Without_expressions_everything_passes()
    {
        var none = OrleansDynamo.Expressions.RequestExpressions.Bind(null, null, null, null, null, null, null);
        Assert.True(none.EvaluateCondition(null));
        Assert.True(none.EvaluateFilter(Sample));
        Assert.Same(Sample, none.Project(Sample));
        Assert.False(none.HasCondition || none.HasFilter || none.HasProjection || none.HasUpdate || none.HasKeyCondition);
    }

    private static OrleansDynamo.Expressions.RequestExpressions RequestExpressions_Filter(string filter, Dictionary<string, AttributeValue> values) =>
        OrleansDynamo.Expressions.RequestExpressions.Bind(null, null, null, filter, null, null, values);
}
