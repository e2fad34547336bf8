using OrleansDynamo.Model;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

public class UpdateExpressionTests
{
    private static readonly Item Key = ItemOf(("pk", S("k")));
    private static readonly string[] KeyNames = ["pk"];

    private static Item Apply(string expression, Item? existing, params (string, AttributeValue)[] values) =>
        Update(expression, values.Length == 0 ? null : Values(values)).ApplyUpdate(existing, Key, KeyNames).Item;

    private static Item Existing(params (string Name, AttributeValue Value)[] attributes) =>
        ItemOf([("pk", S("k")), .. attributes]);

    [Fact]
    public void Set_on_a_new_item_starts_from_the_key()
    {
        var item = Apply("SET a = :v", null, (":v", N("1")));
        Assert.Equal(S("k"), item["pk"]);
        Assert.Equal(N("1"), item["a"]);
        Assert.Equal(2, item.Count);
    }

    [Fact]
    public void Set_replaces_and_adds_attributes_without_touching_the_input()
    {
        var existing = Existing(("a", N("1")), ("b", S("x")));
        var item = Apply("SET a = :v, c = :w", existing, (":v", N("2")), (":w", S("y")));
        Assert.Equal(N("2"), item["a"]);
        Assert.Equal(S("x"), item["b"]);
        Assert.Equal(S("y"), item["c"]);
        Assert.Equal(N("1"), existing["a"]);
        Assert.False(existing.ContainsKey("c"));
    }

    [Fact]
    public void Set_copies_another_attribute()
    {
        var item = Apply("SET b = a", Existing(("a", N("1"))));
        Assert.Equal(N("1"), item["b"]);
    }

    [Fact]
    public void Set_plus_and_minus_are_exact()
    {
        var existing = Existing(("n", N("0.1")));
        Assert.Equal(N("0.3"), Apply("SET n = n + :v", existing, (":v", N("0.2")))["n"]);
        Assert.Equal(N("-0.1"), Apply("SET n = n - :v", existing, (":v", N("0.2")))["n"]);
        Assert.Equal(N("12345678901234567890123456789012345679"),
            Apply("SET n = :a + :b", null, (":a", N("12345678901234567890123456789012345678")), (":b", N("1")))["n"]);
    }

    [Fact]
    public void Set_operands_see_the_item_before_the_update()
    {
        var item = Apply("SET a = b, b = a", Existing(("a", N("1")), ("b", N("2"))));
        Assert.Equal(N("2"), item["a"]);
        Assert.Equal(N("1"), item["b"]);
    }

    [Fact]
    public void If_not_exists_keeps_an_existing_value_or_uses_the_default()
    {
        Assert.Equal(N("5"), Apply("SET a = if_not_exists(a, :d)", Existing(("a", N("5"))), (":d", N("0")))["a"]);
        Assert.Equal(N("0"), Apply("SET a = if_not_exists(a, :d)", null, (":d", N("0")))["a"]);
        Assert.Equal(N("1"), Apply("SET c = if_not_exists(c, :z) + :one", null, (":z", N("0")), (":one", N("1")))["c"]);
    }

    [Fact]
    public void List_append_concatenates_in_either_order()
    {
        var existing = Existing(("l", L(N("1"), N("2"))));
        Assert.Equal(L(N("1"), N("2"), N("3")), Apply("SET l = list_append(l, :v)", existing, (":v", L(N("3"))))["l"]);
        Assert.Equal(L(N("3"), N("1"), N("2")), Apply("SET l = list_append(:v, l)", existing, (":v", L(N("3"))))["l"]);
        Assert.Equal(L(N("3")), Apply("SET l = list_append(if_not_exists(l, :e), :v)", null, (":e", L()), (":v", L(N("3"))))["l"]);
    }

    [Fact]
    public void Set_nested_map_member_and_list_element()
    {
        var existing = Existing(("m", M(("x", N("1")))), ("l", L(S("a"), S("b"))));
        var item = Apply("SET m.y = :v, l[1] = :w", existing, (":v", N("2")), (":w", S("c")));
        Assert.Equal(M(("x", N("1")), ("y", N("2"))), item["m"]);
        Assert.Equal(L(S("a"), S("c")), item["l"]);
        Assert.Equal(M(("x", N("1"))), existing["m"]);
    }

    [Fact]
    public void Set_list_index_past_the_end_appends()
    {
        var item = Apply("SET l[10] = :v", Existing(("l", L(S("a")))), (":v", S("z")));
        Assert.Equal(L(S("a"), S("z")), item["l"]);
    }

    [Fact]
    public void Set_through_a_missing_parent_is_an_invalid_document_path() =>
        AssertValidation("The document path provided in the update expression is invalid for update",
            () => Apply("SET m.y = :v", Existing(), (":v", N("1"))));

    [Fact]
    public void Set_through_a_scalar_is_an_invalid_document_path() =>
        AssertValidation("The document path provided in the update expression is invalid for update",
            () => Apply("SET m[0] = :v", Existing(("m", M(("x", N("1"))))), (":v", N("1"))));

    [Fact]
    public void Set_from_a_missing_attribute_fails() =>
        AssertValidation("The provided expression refers to an attribute that does not exist in the item",
            () => Apply("SET a = b", Existing()));

    [Fact]
    public void Arithmetic_on_a_missing_attribute_fails() =>
        AssertValidation("The provided expression refers to an attribute that does not exist in the item",
            () => Apply("SET a = a + :v", Existing(), (":v", N("1"))));

    [Fact]
    public void Arithmetic_on_a_string_attribute_is_an_incorrect_data_type() =>
        AssertValidation("An operand in the update expression has an incorrect data type",
            () => Apply("SET a = a + :v", Existing(("a", S("x"))), (":v", N("1"))));

    [Fact]
    public void List_append_on_a_non_list_attribute_is_an_incorrect_data_type() =>
        AssertValidation("An operand in the update expression has an incorrect data type",
            () => Apply("SET a = list_append(a, :v)", Existing(("a", S("x"))), (":v", L())));

    [Fact]
    public void Arithmetic_overflow_reports_dynamodb_number_error() =>
        AssertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
            () => Apply("SET a = :a + :a", null, (":a", N("9.9999999999999999999999999999999999999E+125"))));

    [Fact]
    public void Remove_deletes_attributes_and_ignores_missing_ones()
    {
        var item = Apply("REMOVE a, zz", Existing(("a", N("1")), ("b", N("2"))));
        Assert.False(item.ContainsKey("a"));
        Assert.Equal(N("2"), item["b"]);
    }

    [Fact]
    public void Remove_nested_member()
    {
        var item = Apply("REMOVE m.x", Existing(("m", M(("x", N("1")), ("y", N("2"))))));
        Assert.Equal(M(("y", N("2"))), item["m"]);
    }

    [Fact]
    public void Remove_list_elements_removes_the_named_ones_and_shifts_the_rest()
    {
        var existing = Existing(("l", L(S("a"), S("b"), S("c"), S("d"))));
        Assert.Equal(L(S("a"), S("c")), Apply("REMOVE l[1], l[3]", existing)["l"]);
        Assert.Equal(L(S("b"), S("d")), Apply("REMOVE l[0], l[2]", existing)["l"]);
        Assert.Equal(L(S("a"), S("b"), S("c"), S("d")), Apply("REMOVE l[9]", existing)["l"]);
    }

    [Fact]
    public void Remove_through_a_missing_parent_is_an_invalid_document_path() =>
        AssertValidation("The document path provided in the update expression is invalid for update",
            () => Apply("REMOVE m.x", Existing()));

    [Fact]
    public void Remove_of_a_missing_member_of_an_existing_map_does_nothing() =>
        Assert.Equal(M(("y", N("2"))), Apply("REMOVE m.x", Existing(("m", M(("y", N("2"))))))["m"]);

    [Fact]
    public void Add_and_delete_work_on_nested_paths()
    {
        var existing = Existing(("m", M(("n", N("1")), ("s", SS("a", "b")))));
        var item = Apply("ADD m.n :one DELETE m.s :a", existing, (":one", N("1")), (":a", SS("a")));
        Assert.Equal(M(("n", N("2")), ("s", SS("b"))), item["m"]);
    }

    [Fact]
    public void Add_to_a_number_adds()
    {
        Assert.Equal(N("6"), Apply("ADD n :v", Existing(("n", N("5"))), (":v", N("1")))["n"]);
        Assert.Equal(N("4.5"), Apply("ADD n :v", Existing(("n", N("5"))), (":v", N("-0.5")))["n"]);
    }

    [Fact]
    public void Add_on_a_missing_attribute_creates_it()
    {
        Assert.Equal(N("3"), Apply("ADD n :v", null, (":v", N("3")))["n"]);
        Assert.Equal(SS("a"), Apply("add s :v", null, (":v", SS("a")))["s"]);
    }

    [Fact]
    public void Add_to_a_set_is_a_union()
    {
        Assert.Equal(SS("a", "b", "c"), Apply("ADD s :v", Existing(("s", SS("a", "b"))), (":v", SS("b", "c")))["s"]);
        Assert.Equal(NS("1", "2"), Apply("ADD s :v", Existing(("s", NS("1"))), (":v", NS("2", "1.0")))["s"]);
        Assert.Equal(BS([1], [2]), Apply("ADD s :v", Existing(("s", BS([1]))), (":v", BS([2])))["s"]);
    }

    [Fact]
    public void Add_of_a_set_to_a_number_is_an_incorrect_data_type() =>
        AssertValidation("An operand in the update expression has an incorrect data type",
            () => Apply("ADD n :v", Existing(("n", N("1"))), (":v", SS("a"))));

    [Fact]
    public void Add_of_another_set_type_is_an_incorrect_data_type() =>
        AssertValidation("An operand in the update expression has an incorrect data type",
            () => Apply("ADD s :v", Existing(("s", SS("a"))), (":v", NS("1"))));

    [Fact]
    public void Delete_removes_members_from_a_set()
    {
        Assert.Equal(SS("a"), Apply("DELETE s :v", Existing(("s", SS("a", "b"))), (":v", SS("b", "z")))["s"]);
        Assert.Equal(NS("2"), Apply("DELETE s :v", Existing(("s", NS("1", "2"))), (":v", NS("1.0")))["s"]);
    }

    [Fact]
    public void Delete_that_empties_a_set_removes_the_attribute()
    {
        var item = Apply("DELETE s :v", Existing(("s", SS("a", "b"))), (":v", SS("a", "b")));
        Assert.False(item.ContainsKey("s"));
    }

    [Fact]
    public void Delete_on_a_missing_attribute_does_nothing()
    {
        var item = Apply("DELETE s :v", Existing(("a", N("1"))), (":v", SS("a")));
        Assert.Equal(2, item.Count);
    }

    [Fact]
    public void Delete_from_another_type_is_an_incorrect_data_type() =>
        AssertValidation("An operand in the update expression has an incorrect data type",
            () => Apply("DELETE s :v", Existing(("s", S("a"))), (":v", SS("a"))));

    [Fact]
    public void All_four_sections_in_one_expression_in_any_order()
    {
        var existing = Existing(("a", N("1")), ("r", S("x")), ("s", SS("a", "b")), ("n", N("1")));
        var item = Apply("DELETE s :d ADD n :one REMOVE r SET a = :two", existing,
            (":d", SS("a")), (":one", N("1")), (":two", N("2")));
        Assert.Equal(N("2"), item["a"]);
        Assert.False(item.ContainsKey("r"));
        Assert.Equal(SS("b"), item["s"]);
        Assert.Equal(N("2"), item["n"]);
    }

    [Fact]
    public void Updating_a_key_attribute_is_rejected()
    {
        AssertValidation("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
            () => Apply("SET pk = :v", Existing(), (":v", S("other"))));
        AssertValidation("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
            () => Update("REMOVE #k", names: Names(("#k", "pk"))).ApplyUpdate(Existing(), Key, KeyNames));
    }

    [Fact]
    public void Updated_attributes_are_the_top_level_names_in_order()
    {
        var result = Update("SET b = :v, m.x = :v REMOVE a, m.y", Values((":v", N("1"))))
            .ApplyUpdate(Existing(("m", M(("y", N("0"))))), Key, KeyNames);
        Assert.Equal(["b", "m", "a"], result.UpdatedAttributes);
    }

    [Fact]
    public void Select_updated_returns_only_the_updated_parts()
    {
        var existing = Existing(("m", M(("x", N("1")), ("keep", N("9")))), ("a", N("1")), ("other", N("3")));
        var result = Update("SET m.x = :v, a = :v", Values((":v", N("2")))).ApplyUpdate(existing, Key, KeyNames);
        Assert.Equal(ItemOf(("m", M(("x", N("2")))), ("a", N("2"))), result.SelectUpdated(result.Item), ItemComparer.Instance);
        Assert.Equal(ItemOf(("m", M(("x", N("1")))), ("a", N("1"))), result.SelectUpdated(existing), ItemComparer.Instance);
        Assert.Empty(result.SelectUpdated(null));
    }

    [Fact]
    public void Name_placeholders_work_in_every_section()
    {
        var result = Update("SET #a = :v ADD #n :v REMOVE #r", Values((":v", N("1"))), Names(("#a", "a"), ("#n", "n"), ("#r", "r")))
            .ApplyUpdate(Existing(("r", N("0"))), Key, KeyNames);
        Assert.Equal(ItemOf(("pk", S("k")), ("a", N("1")), ("n", N("1"))), result.Item, ItemComparer.Instance);
    }

    [Fact]
    public void Parenthesised_set_values_are_allowed()
    {
        Assert.Equal(N("3"), Apply("SET a = (:x + :y)", null, (":x", N("1")), (":y", N("2")))["a"]);
        Assert.Equal(N("3"), Apply("SET a = (:x) + (:y)", null, (":x", N("1")), (":y", N("2")))["a"]);
    }
}

/// <summary>Item equality by content, for assertions.</summary>
internal sealed class ItemComparer : IEqualityComparer<Item>
{
    public static readonly ItemComparer Instance = new();
    public bool Equals(Item? x, Item? y) =>
        x is not null && y is not null && x.Count == y.Count && x.All(a => y.TryGetValue(a.Key, out var v) && a.Value.Equals(v));
    public int GetHashCode(Item obj) => obj.Count;
}
