using OrleansDynamo.Expressions;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

/// <summary>DynamoDB's exact messages for malformed expressions, and which one wins when several apply.</summary>
public class ExpressionErrorTests
{
    private static readonly Dictionary<string, OrleansDynamo.Model.AttributeValue> V = Values(
        (":s", S("x")), (":n", N("1")), (":n2", N("2")), (":b", B(1)), (":l", L()), (":m", M()), (":ss", SS("a")),
        (":bool", Bool(true)));

    /// <summary>Binds a condition with every value in <see cref="V"/> available, ignoring the unused-values rule.</summary>
    private static void BindCondition(string expression) =>
        Condition(expression + " OR attribute_exists(#all)" + string.Concat(V.Keys.Select(k => $" OR #all = {k}")), V, Names(("#all", "all")));

    // ---- syntax -------------------------------------------------------------------------------

    [Theory]
    [InlineData("a = = :n", "=", "= = :n")]
    [InlineData("a =", "<EOF>", "=")]
    [InlineData("a b", "b", "a b")]
    [InlineData("a-b", "-", "a-b")]
    [InlineData("!!!", "!", "!!")]
    [InlineData("a = :n AND", "<EOF>", "AND")]
    [InlineData("a = :n AND b", "<EOF>", "b")]
    [InlineData("attribute_exists()", ")", "()")]
    [InlineData("a.1 = :n", "1", ".1 =")]
    [InlineData("a[x] = :n", "x", "[x]")]
    [InlineData("(a = :n", "<EOF>", ":n")]
    [InlineData("a = :n)", ")", ":n)")]
    [InlineData("a : n", ":", "a : n")]
    [InlineData("# = :n", "#", "# =")]
    [InlineData("a BETWEEN :n OR :n2", "OR", ":n OR :n2")]
    [InlineData("a IN :n", ":n", "IN :n")]
    [InlineData("AND = :n", "AND", "AND =")]
    [InlineData("a = (b = c)", "=", "b = c")]
    [InlineData("1 = :n", "1", "1 =")]
    public void Syntax_errors_name_the_token_and_its_neighbours(string expression, string token, string near) =>
        AssertValidation($"Invalid ConditionExpression: Syntax error; token: \"{token}\", near: \"{near}\"",
            () => Condition(expression, V));

    [Fact]
    public void Syntax_errors_name_the_expression_parameter()
    {
        AssertValidation("Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"",
            () => Update("INVALID SYNTAX HERE", V));
        AssertValidation("Invalid UpdateExpression: Syntax error; token: \":\", near: \"hits : incr\"",
            () => Update("ADD hits : incr", V));
        AssertValidation("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"",
            () => Projection("a,"));
        AssertValidation("Invalid FilterExpression: Syntax error; token: \"b\", near: \"a b\"",
            () => RequestExpressions.Bind(null, null, null, "a b", null, null, null));
        AssertValidation("Invalid KeyConditionExpression: Syntax error; token: \")\", near: \"()\"",
            () => KeyCondition("begins_with()"));
    }

    [Theory]
    [InlineData("SET a = :n SET b = :n", "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;")]
    [InlineData("REMOVE a REMOVE b", "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;")]
    [InlineData("SET a = :n, a = :n2", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")]
    [InlineData("SET a = :n REMOVE a.b", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]")]
    [InlineData("SET a[1] = :n REMOVE a.b", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]")]
    [InlineData("SET a = foo(:n)", "Invalid UpdateExpression: Invalid function name; function: foo")]
    [InlineData("SET a = if_not_exists(:n, :n2)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists")]
    [InlineData("SET a = list_append(:l)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1")]
    [InlineData("SET a = list_append(a, :s)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S")]
    [InlineData("SET a = a + :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S")]
    [InlineData("SET a = :m - a", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: M")]
    [InlineData("ADD a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING")]
    [InlineData("ADD a :l", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST")]
    [InlineData("DELETE a :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER")]
    [InlineData("DELETE a :bool", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: BOOLEAN")]
    [InlineData("SET name = :n", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("SET a = :undefined", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :undefined")]
    [InlineData("SET #undefined = :n", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #undefined")]
    [InlineData("ADD a :s SET name = :n", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("SET a = foo(:n) SET b = :n", "Invalid UpdateExpression: Invalid function name; function: foo")]
    [InlineData("SET a = :x, a = :n", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x")]
    public void Update_expression_errors(string expression, string message) =>
        AssertValidation(message, () => RequestExpressions.Bind(null, expression, null, null, null, null, V));

    [Theory]
    [InlineData("foo(a)", "Invalid function name; function: foo")]
    [InlineData("BEGINS_WITH(a, :s)", "Invalid function name; function: BEGINS_WITH")]
    [InlineData("begins_with(a)", "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1")]
    [InlineData("attribute_exists(a, b)", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2")]
    [InlineData("size(a, b) = :n", "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2")]
    [InlineData("size(a)", "The function is not allowed to be used this way in an expression; function: size")]
    [InlineData("a = attribute_exists(b)", "The function is not allowed to be used this way in an expression; function: attribute_exists")]
    [InlineData("a IN (:n, begins_with(a, :s))", "The function is not allowed to be used this way in an expression; function: begins_with")]
    [InlineData("attribute_exists(:s)", "Operator or function requires a document path; operator or function: attribute_exists")]
    [InlineData("attribute_not_exists(:s)", "Operator or function requires a document path; operator or function: attribute_not_exists")]
    [InlineData("begins_with(a, :n)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")]
    [InlineData("begins_with(a, size(b))", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")]
    [InlineData("attribute_type(a, :n)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N")]
    [InlineData("attribute_type(a, b)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}")]
    [InlineData("attribute_type(a, :s)", "Invalid attribute type name found; type: x, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}")]
    [InlineData("size(:n) = :n", "Incorrect operand type for operator or function; operator or function: size, operand type: N")]
    [InlineData("size(:bool) = :n", "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL")]
    [InlineData("a = a", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]")]
    [InlineData("a.b[1] < a.b[1]", "The first operand must be distinct from the remaining operands for this operator or function; operator: <, first operand: [a, b, [1]]")]
    [InlineData("contains(a, a)", "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]")]
    [InlineData("a BETWEEN :n AND :s", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}")]
    [InlineData("a BETWEEN :n2 AND :n", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}")]
    [InlineData("a < :bool", "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL")]
    [InlineData("((a = :n))", "The expression has redundant parentheses;")]
    [InlineData("((a)) = :n", "The expression has redundant parentheses;")]
    [InlineData("a = ((:n))", "The expression has redundant parentheses;")]
    [InlineData("name = :n", "Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("a.Size = :n", "Attribute name is a reserved keyword; reserved keyword: Size")]
    [InlineData("a = :undefined", "An expression attribute value used in expression is not defined; attribute value: :undefined")]
    [InlineData("#undefined = :n", "An expression attribute name used in the document path is not defined; attribute name: #undefined")]
    // Precedence between kinds of error, as DynamoDB reports them.
    [InlineData("name = :n AND foo(a)", "Invalid function name; function: foo")]
    [InlineData("name = :undefined", "Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("((name = :n))", "The expression has redundant parentheses;")]
    [InlineData("begins_with(a) AND :undefined = a", "An expression attribute value used in expression is not defined; attribute value: :undefined")]
    public void Condition_expression_errors(string expression, string message) =>
        AssertValidation($"Invalid ConditionExpression: {message}", () => BindCondition(expression));

    [Theory]
    [InlineData("name", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("a, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")]
    [InlineData("a.b, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]")]
    [InlineData("a[0], a.b", "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]")]
    [InlineData("#x", "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x")]
    [InlineData("a, :v", "Invalid ProjectionExpression: Syntax error; token: \":v\", near: \", :v\"")]
    [InlineData("a.b.c, a.b.c", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b, c], path two: [a, b, c]")]
    public void Projection_expression_errors(string expression, string message) =>
        AssertValidation(message, () => Projection(expression));

    [Fact]
    public void Overlap_is_judged_after_resolving_name_placeholders() =>
        AssertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
            () => Projection("#x, #y", Names(("#x", "a"), ("#y", "a"))));

    [Fact]
    public void Empty_expressions_are_rejected()
    {
        AssertValidation("Invalid ConditionExpression: The expression can not be empty;", () => Condition(""));
        AssertValidation("Invalid UpdateExpression: The expression can not be empty;", () => Update("  "));
        AssertValidation("Invalid ProjectionExpression: The expression can not be empty;", () => Projection(""));
    }

    // ---- limits -------------------------------------------------------------------------------

    [Fact]
    public void Expression_of_more_than_4_KB_is_rejected()
    {
        var expression = "attribute_exists(" + new string('a', 4080) + ")"; // 4098 bytes
        AssertValidation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098",
            () => Condition(expression));
    }

    [Fact]
    public void Expression_size_counts_utf8_bytes()
    {
        var expression = "a = :v OR b = :v" + new string(' ', 2000) + "é".PadRight(1, 'x') + new string('\u00e9', 1100);
        var error = Assert.Throws<OrleansDynamo.Errors.DynamoException>(() => Condition(expression, Values((":v", N("1")))));
        Assert.StartsWith("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4218", error.Message);
    }

    [Fact]
    public void Expression_of_exactly_4_KB_is_accepted()
    {
        var expression = "attribute_exists(" + new string('a', 4078) + ")"; // 4096 bytes
        Assert.True(Condition(expression).HasCondition);
    }

    [Fact]
    public void More_than_300_operators_are_rejected()
    {
        var ok = string.Join(" AND ", Enumerable.Repeat("a < :v", 150)); // 150 comparisons + 149 ANDs = 299
        Assert.True(Condition(ok, Values((":v", N("1")))).HasCondition);
        var tooMany = string.Join(" AND ", Enumerable.Repeat("a < :v", 151)); // 301
        AssertValidation("Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
            () => Condition(tooMany, Values((":v", N("1")))));
    }

    [Fact]
    public void In_accepts_100_operands_but_not_101()
    {
        var hundred = "a IN (" + string.Join(", ", Enumerable.Repeat(":v", 100)) + ")";
        Assert.True(Condition(hundred, Values((":v", N("1")))).HasCondition);
        var hundredOne = "a IN (" + string.Join(", ", Enumerable.Repeat(":v", 101)) + ")";
        AssertValidation("Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
            () => Condition(hundredOne, Values((":v", N("1")))));
    }

    [Fact]
    public void Document_paths_deeper_than_32_levels_are_rejected()
    {
        Assert.True(Projection(string.Join(".", Enumerable.Repeat("a", 32))).HasProjection);
        AssertValidation("Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33",
            () => Projection(string.Join(".", Enumerable.Repeat("a", 33))));
    }
    // ---- nesting --------------------------------------------------------------------------------

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    [InlineData(300, false)]
    public void Parentheses_nest_at_most_100_deep(int depth, bool parses)
    {
        // Alternating conditions, so no pair of parentheses is redundant: "(a = :n AND (a = :n AND (...)))".
        var expression = string.Concat(Enumerable.Repeat("(a = :n AND ", depth)) + "a = :n" + new string(')', depth);
        if (parses) BindCondition(expression);
        else AssertValidation("Invalid ConditionExpression: Parentheses are nested deeper than 100 levels", () => BindCondition(expression));
    }

    [Fact]
    public void An_updated_item_nested_deeper_than_32_levels_is_refused()
    {
        OrleansDynamo.Model.AttributeValue Nest(int levels) => levels == 0 ? S("leaf") : M(("m", Nest(levels - 1)));
        OrleansDynamo.Validation.ItemRules.CheckNames(new OrleansDynamo.Model.Item([KeyValuePair.Create("a", Nest(32))]));
        Assert.Equal("Nesting Levels have exceeded supported limits", Assert.Throws<OrleansDynamo.Errors.DynamoException>(() =>
            OrleansDynamo.Validation.ItemRules.CheckNames(new OrleansDynamo.Model.Item([KeyValuePair.Create("a", Nest(33))]))).Message);
    }
}
