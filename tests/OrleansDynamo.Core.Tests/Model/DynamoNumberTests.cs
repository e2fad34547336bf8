using OrleansDynamo.Model;

namespace OrleansDynamo.Core.Tests.Model;

public sealed class DynamoNumberTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("1e0", "1")]
    [InlineData("0010.500", "10.5")]
    [InlineData("-0.0", "0")]
    [InlineData("+5", "5")]
    [InlineData("1E+3", "1000")]
    [InlineData("12.5e-3", "0.0125")]
    [InlineData(".5", "0.5")]
    [InlineData("-123456789012345678901234567890.12345678", "-123456789012345678901234567890.12345678")]
    public void Parse_normalises(string text, string expected)
    {
        Assert.Equal(expected, DynamoNumber.Parse(text).ToString());
    }

    [Fact]
    public void Different_spellings_of_one_value_are_equal_with_equal_hashes()
    {
        var a = DynamoNumber.Parse("1.0");
        var b = DynamoNumber.Parse("1e0");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData("1 ")]
    public void Parse_rejects_non_numbers(string text)
    {
        Assert.False(DynamoNumber.TryParse(text, out _, out var error));
        Assert.Equal(text.Length == 0
            ? "The parameter cannot be converted to a numeric value"
            : $"The parameter cannot be converted to a numeric value: {text}", error);
    }

    [Theory]
    [InlineData("1E126", "Number overflow. Attempting to store a number with magnitude larger than supported range")]
    [InlineData("-1E126", "Number overflow. Attempting to store a number with magnitude larger than supported range")]
    [InlineData("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range")]
    [InlineData("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number")]
    public void Parse_enforces_DynamoDB_range_and_precision(string text, string message)
    {
        Assert.False(DynamoNumber.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("9.9999999999999999999999999999999999999E+125")]
    [InlineData("1E-130")]
    [InlineData("-1E-130")]
    [InlineData("12345678901234567890123456789012345678")]
    [InlineData("1000000000000000000000000000000000000000000000")]
    public void Parse_accepts_the_limits(string text)
    {
        Assert.True(DynamoNumber.TryParse(text, out _, out var error), error);
    }

    [Theory]
    [InlineData("1", "2", -1)]
    [InlineData("10", "9", 1)]
    [InlineData("-10", "-9", -1)]
    [InlineData("-1", "1", -1)]
    [InlineData("0", "-0.0001", 1)]
    [InlineData("1.5", "1.50", 0)]
    [InlineData("0.001", "0.01", -1)]
    [InlineData("123.45", "123.4", 1)]
    [InlineData("1E125", "9E124", 1)]
    public void CompareTo_is_numeric(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(DynamoNumber.Parse(a).CompareTo(DynamoNumber.Parse(b))));
    }

    [Theory]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("99999999999999999999999999999999999999", "1", "100000000000000000000000000000000000000")]
    [InlineData("1.5", "-1.5", "0")]
    [InlineData("-5", "3", "-2")]
    [InlineData("1E100", "1E-20", "")]
    public void TryAdd_is_exact(string a, string b, string expected)
    {
        var ok = DynamoNumber.Parse(a).TryAdd(DynamoNumber.Parse(b), out var sum, out var error);
        if (expected == "")
        {
            Assert.False(ok);
            Assert.Equal("Attempting to store more than 38 significant digits in a Number", error);
        }
        else
        {
            Assert.True(ok, error);
            Assert.Equal(expected, sum.ToString());
        }
    }

    [Fact]
    public void TryAdd_past_the_largest_magnitude_overflows()
    {
        var max = DynamoNumber.Parse("9.9999999999999999999999999999999999999E+125");
        Assert.False(max.TryAdd(DynamoNumber.Parse("1E+88"), out _, out var error));
        Assert.StartsWith("Number overflow", error);
    }
}
