using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace OrleansDynamo.Model;

/// <summary>
/// A DynamoDB number: exact decimal with up to 38 significant digits and a magnitude between
/// 1E-130 and 9.9999999999999999999999999999999999999E+125. Always normalised, so
/// <c>1</c>, <c>1.0</c> and <c>1e0</c> are the same value (and the same key).
/// </summary>
/// <remarks>The value is <c>(-1)^Negative × Coefficient × 10^Exponent</c>, where the coefficient's
/// decimal digits carry no trailing zeros. Zero has an empty digit string.</remarks>
[GenerateSerializer, Immutable, Alias("odyn.N")]
public readonly struct DynamoNumber : IEquatable<DynamoNumber>, IComparable<DynamoNumber>
{
    public const int MaxSignificantDigits = 38;
    private const int MaxAdjustedExponent = 125;
    private const int MinAdjustedExponent = -130;

    [Id(0)] private readonly string? _digits;
    [Id(1)] private readonly int _exponent;
    [Id(2)] private readonly bool _negative;

    private DynamoNumber(string digits, int exponent, bool negative)
    {
        _digits = digits;
        _exponent = digits.Length == 0 ? 0 : exponent;
        _negative = negative && digits.Length > 0;
    }

    public static DynamoNumber Zero => default;

    /// <summary>The significant digits, without leading or trailing zeros ("" for zero).</summary>
    public string Digits => _digits ?? "";
    public bool IsZero => Digits.Length == 0;
    public bool IsNegative => _negative;

    /// <summary>Power of ten of the most significant digit (scientific-notation exponent).</summary>
    public int AdjustedExponent => Digits.Length + _exponent - 1;

    /// <summary>Parses a DynamoDB number string; returns null and a DynamoDB message when it is not one.</summary>
    public static bool TryParse(string? text, out DynamoNumber value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || !TryParseParts(text, out var negative, out var digits, out var exponent))
        {
            // DynamoDB names the text it could not read, unless there was none.
            error = string.IsNullOrEmpty(text)
                ? "The parameter cannot be converted to a numeric value"
                : $"The parameter cannot be converted to a numeric value: {text}";
            return false;
        }
        return TryCreate(negative, digits, exponent, out value, out error);
    }

    public static DynamoNumber Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static DynamoNumber FromInt64(long value) => Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static bool TryParseParts(string text, out bool negative, out string digits, out int exponent)
    {
        negative = false; digits = ""; exponent = 0;
        var i = 0;
        if (text[i] is '+' or '-') { negative = text[i] == '-'; i++; }
        var sb = new StringBuilder(text.Length);
        int fractionDigits = 0, mantissaDigits = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                sb.Append(c);
                mantissaDigits++;
                if (seenPoint) fractionDigits++;
            }
            else if (c == '.' && !seenPoint) seenPoint = true;
            else break;
        }
        if (mantissaDigits == 0) return false;
        long exp = 0;
        if (i < text.Length)
        {
            if (text[i] is not ('e' or 'E')) return false;
            i++;
            var expNegative = false;
            if (i < text.Length && text[i] is '+' or '-') { expNegative = text[i] == '-'; i++; }
            var expStart = i;
            for (; i < text.Length; i++)
            {
                if (text[i] is < '0' or > '9') return false;
                if (exp < 100_000) exp = exp * 10 + (text[i] - '0');
            }
            if (i == expStart) return false;
            if (expNegative) exp = -exp;
        }
        var all = sb.ToString();
        var start = 0;
        while (start < all.Length && all[start] == '0') start++;
        var end = all.Length;
        var trailing = 0;
        while (end > start && all[end - 1] == '0') { end--; trailing++; }
        digits = all[start..end];
        exponent = (int)Math.Clamp(exp - fractionDigits + trailing, int.MinValue / 4, int.MaxValue / 4);
        return true;
    }

    private static bool TryCreate(bool negative, string digits, int exponent, out DynamoNumber value, [NotNullWhen(false)] out string? error)
    {
        value = new DynamoNumber(digits, exponent, negative);
        error = null;
        if (digits.Length == 0) return true;
        var adjusted = digits.Length + exponent - 1;
        if (adjusted > MaxAdjustedExponent)
            error = "Number overflow. Attempting to store a number with magnitude larger than supported range";
        else if (adjusted < MinAdjustedExponent)
            error = "Number underflow. Attempting to store a number with magnitude smaller than supported range";
        else if (digits.Length > MaxSignificantDigits)
            error = "Attempting to store more than 38 significant digits in a Number";
        return error is null;
    }

    /// <summary>Exact sum; fails with DynamoDB's message when the result leaves DynamoDB's range or precision.</summary>
    public bool TryAdd(DynamoNumber other, out DynamoNumber sum, [NotNullWhen(false)] out string? error)
    {
        if (IsZero) { sum = other; error = null; return true; }
        if (other.IsZero) { sum = this; error = null; return true; }
        var scale = Math.Min(_exponent, other._exponent);
        var total = Scaled(scale) + other.Scaled(scale);
        var text = BigInteger.Abs(total).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var end = text.Length;
        while (end > 0 && text[end - 1] == '0') end--;
        var digits = end == 0 ? "" : text[..end];
        return TryCreate(total.Sign < 0, digits, scale + (text.Length - end), out sum, out error);
    }

    public bool TrySubtract(DynamoNumber other, out DynamoNumber difference, [NotNullWhen(false)] out string? error) =>
        TryAdd(other.Negate(), out difference, out error);

    public DynamoNumber Negate() => new(Digits, _exponent, !_negative);

    private BigInteger Scaled(int scale)
    {
        var coefficient = BigInteger.Parse(Digits, System.Globalization.CultureInfo.InvariantCulture) * BigInteger.Pow(10, _exponent - scale);
        return _negative ? -coefficient : coefficient;
    }

    public int CompareTo(DynamoNumber other)
    {
        if (IsZero || other.IsZero || _negative != other._negative)
            return Sign.CompareTo(other.Sign);
        var magnitude = CompareMagnitude(other);
        return _negative ? -magnitude : magnitude;
    }

    private int Sign => IsZero ? 0 : _negative ? -1 : 1;

    private int CompareMagnitude(DynamoNumber other)
    {
        var byExponent = AdjustedExponent.CompareTo(other.AdjustedExponent);
        if (byExponent != 0) return byExponent;
        // Same leading power of ten: digit strings compare lexicographically, shorter = padded with zeros.
        return string.CompareOrdinal(Digits, other.Digits);
    }

    public bool Equals(DynamoNumber other) => _negative == other._negative && _exponent == other._exponent && Digits == other.Digits;
    public override bool Equals(object? obj) => obj is DynamoNumber other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Digits, _exponent, _negative);
    public static bool operator ==(DynamoNumber a, DynamoNumber b) => a.Equals(b);
    public static bool operator !=(DynamoNumber a, DynamoNumber b) => !a.Equals(b);

    /// <summary>Plain decimal notation, as DynamoDB returns numbers (no exponent, no trailing zeros).</summary>
    public override string ToString()
    {
        if (IsZero) return "0";
        var sb = new StringBuilder(Digits.Length + Math.Abs(_exponent) + 3);
        if (_negative) sb.Append('-');
        if (_exponent >= 0)
        {
            sb.Append(Digits).Append('0', _exponent);
        }
        else
        {
            var integerDigits = Digits.Length + _exponent;
            if (integerDigits > 0)
                sb.Append(Digits, 0, integerDigits).Append('.').Append(Digits, integerDigits, Digits.Length - integerDigits);
            else
                sb.Append("0.").Append('0', -integerDigits).Append(Digits);
        }
        return sb.ToString();
    }

    /// <summary>DynamoDB's size of a number: about one byte per two significant digits, plus one.</summary>
    public int SizeInBytes => (Digits.Length + 1) / 2 + 1;
}
