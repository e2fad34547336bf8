using OrleansDynamo.Model;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

public class ProjectionExpressionTests
{
    private static readonly Item Sample = ItemOf(
        ("a", N("1")),
        ("b", S("x")),
        ("m", M(("x", N("1")), ("y", M(("z", N("2")), ("w", N("3")))))),
        ("l", L(S("l0"), M(("p", N("1")), ("q", N("2"))), S("l2"), S("l3"))));

    private static Item Project(string expression, Dictionary<string, string>? names = null) =>
        Projection(expression, names).Project(Sample);

    [Fact]
    public void Top_level_attributes_are_picked()
    {
        var item = Project("a, b, absent");
        Assert.Equal(ItemOf(("a", N("1")), ("b", S("x"))), item, ItemComparer.Instance);
    }

    [Fact]
    public void Nested_members_come_back_inside_their_maps() =>
        Assert.Equal(ItemOf(("m", M(("y", M(("z", N("2"))))))), Project("m.y.z"), ItemComparer.Instance);

    [Fact]
    public void Two_members_of_one_map_are_merged() =>
        Assert.Equal(ItemOf(("m", M(("x", N("1")), ("y", M(("w", N("3"))))))), Project("m.x, m.y.w"), ItemComparer.Instance);

    [Fact]
    public void List_elements_come_back_as_a_shorter_list_in_index_order() =>
        Assert.Equal(ItemOf(("l", L(S("l0"), S("l3")))), Project("l[3], l[0]"), ItemComparer.Instance);

    [Fact]
    public void Members_of_list_elements_are_picked() =>
        Assert.Equal(ItemOf(("l", L(M(("q", N("2")))))), Project("l[1].q"), ItemComparer.Instance);

    [Fact]
    public void Paths_that_do_not_exist_are_left_out()
    {
        Assert.Empty(Project("m.absent, l[9], a.b"));
        Assert.Empty(Project("m[0]"));
        Assert.Empty(Project("l.x"));
    }

    [Fact]
    public void Name_placeholders_resolve() =>
        Assert.Equal(ItemOf(("m", M(("x", N("1"))))), Project("#m.#x", Names(("#m", "m"), ("#x", "x"))), ItemComparer.Instance);

    [Fact]
    public void Reserved_words_are_allowed_through_placeholders()
    {
        var item = ItemOf(("name", S("n")), ("size", N("2")));
        var projected = Projection("#n, #s", Names(("#n", "name"), ("#s", "size"))).Project(item);
        Assert.Equal(item, projected, ItemComparer.Instance);
    }

    [Fact]
    public void Projected_attributes_lists_top_level_names() =>
        Assert.Equal(["m", "a"], Projection("m.x, a, m.y").ProjectedAttributes);
}
