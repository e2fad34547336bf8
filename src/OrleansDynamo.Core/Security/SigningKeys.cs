using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OrleansDynamo.Security;

/// <summary>
/// SigV4's signing keys: HMAC-SHA256 of the secret down the scope (date, region, <c>dynamodb</c>, <c>aws4_request</c>),
/// cached per secret and day, as the SDKs do, since deriving one costs four HMACs.
/// </summary>
public sealed class SigningKeys(string region)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Service = "dynamodb";
    public const string Terminator = "aws4_request";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>How far a signature's time may be from the server's clock, either way.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(string Secret, string Date), byte[]> _keys = new();

    public string Region => region;

    /// <summary>The scope a signature of <paramref name="date"/> (yyyyMMdd) names: <c>date/region/dynamodb/aws4_request</c>.</summary>
    public string Scope(string date) => $"{date}/{region}/{Service}/{Terminator}";

    public byte[] Of(string secret, string date)
    {
        if (_keys.TryGetValue((secret, date), out var key)) return key;
        if (_keys.Count > 1024) _keys.Clear(); // old days and rotated secrets
        key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        foreach (var part in (string[])[region, Service, Terminator]) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        return _keys[(secret, date)] = key;
    }

    /// <summary>The hex signature of <paramref name="stringToSign"/> with the key of <paramref name="secret"/> on <paramref name="date"/>.</summary>
    public string Sign(string secret, string date, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Of(secret, date), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Compares hex signatures in constant time, whatever the case of the one sent.</summary>
    public static bool Matches(string expected, string sent) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sent.ToLowerInvariant()));
}
