using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;

namespace OrleansDynamo.Core.Tests.Expressions;

/// <summary>Short builders for attribute values, items and bound expressions.</summary>
internal static class ExpressionTestData
{
    public static AttributeValue S(string value) => AttributeValue.FromS(value);
    public static AttributeValue N(string value) => AttributeValue.FromN(value);
    public static AttributeValue B(params byte[] value) => AttributeValue.FromB(value);
    public static AttributeValue SS(params string[] values) => AttributeValue.FromSS(values);
    public static AttributeValue NS(params string[] values) => AttributeValue.FromNS(values.Select(DynamoNumber.Parse));
    public static AttributeValue BS(params byte[][] values) => AttributeValue.FromBS(values);
    public static AttributeValue L(params AttributeValue[] values) => AttributeValue.FromL(values);
    public static AttributeValue M(params (string Name, AttributeValue Value)[] members) =>
        AttributeValue.FromM(members.ToDictionary(m => m.Name, m => m.Value));
    public static AttributeValue Bool(bool value) => AttributeValue.FromBool(value);

    public static Item ItemOf(params (string Name, AttributeValue Value)[] attributes) =>
        new(attributes.Select(a => KeyValuePair.Create(a.Name, a.Value)));

    public static Dictionary<string, string> Names(params (string Placeholder, string Name)[] names) =>
        names.ToDictionary(n => n.Placeholder, n => n.Name);

    public static Dictionary<string, AttributeValue> Values(params (string Placeholder, AttributeValue Value)[] values) =>
        values.ToDictionary(v => v.Placeholder, v => v.Value);

    public static RequestExpressions Condition(string expression, Dictionary<string, AttributeValue>? values = null,
        Dictionary<string, string>? names = null) =>
        RequestExpressions.Bind(expression, null, null, null, null, names, values);

    public static RequestExpressions Update(string expression, Dictionary<string, AttributeValue>? values = null,
        Dictionary<string, string>? names = null) =>
        RequestExpressions.Bind(null, expression, null, null, null, names, values);

    public static RequestExpressions Projection(string expression, Dictionary<string, string>? names = null) =>
        RequestExpressions.Bind(null, null, expression, null, null, names, null);

    public static RequestExpressions KeyCondition(string expression, Dictionary<string, AttributeValue>? values = null,
        Dictionary<string, string>? names = null) =>
        RequestExpressions.Bind(null, null, null, null, expression, names, values);

    /// <summary>Asserts that the action fails with a ValidationException carrying exactly this message.</summary>
    public static void AssertValidation(string expectedMessage, Action action)
    {
        var error = Assert.Throws<DynamoException>(action);
        Assert.Equal(DynamoErrorTypes.Validation, error.ErrorType);
        Assert.Equal(expectedMessage, error.Message);
    }

    public static void AssertValidation(string expectedMessage, Func<object?> action) =>
        AssertValidation(expectedMessage, () => { action(); });
}
