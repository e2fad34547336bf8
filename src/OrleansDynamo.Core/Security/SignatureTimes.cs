using System.Globalization;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Security;

/// <summary>The time of a signature (<c>X-Amz-Date</c>, yyyyMMddTHHmmssZ) and DynamoDB's rules for it.</summary>
public static class SignatureTimes
{
    public static DateTimeOffset Parse(string amzDate) =>
        DateTimeOffset.TryParseExact(amzDate, SigningKeys.DateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw DynamoErrors.IncompleteSignature($"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601");

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(SigningKeys.DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Within 15 minutes of the server's clock either way; a presigned request also within its <paramref name="lifetime"/>.</summary>
    public static void Check(TimeProvider clock, DateTimeOffset time, string amzDate, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow();
        var expired = time < now - SigningKeys.AllowedSkew || (lifetime is { } expires && time + expires < now);
        if (expired) throw DynamoErrors.SignatureExpired(amzDate, Format(now - SigningKeys.AllowedSkew), Format(now));
        if (time > now + SigningKeys.AllowedSkew) throw DynamoErrors.SignatureNotYetCurrent(amzDate, Format(now + SigningKeys.AllowedSkew), Format(now));
    }
}
