using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// SigV4 as botocore writes it (auth.py's SigV4Auth and SigV4QueryAuth), written here so tests can sign what an SDK
/// would not: another time, another region, one body signed and another sent, a presigned URL.
/// </summary>
internal static class TestSigner
{
    public static HttpRequestMessage Signed(Uri endpoint, string target, string body, string key, string secret,
        DateTime? at = null, string region = "us-east-1", string? token = null, string? sendBody = null)
    {
        var time = at ?? DateTime.UtcNow;
        var amzDate = time.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = endpoint.Authority,
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = target,
        };
        if (token is not null) headers["x-amz-security-token"] = token;
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"POST\n/\n\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"))}\n{signedHeaders}\n{Hash(body)}";
        var scope = $"{amzDate[..8]}/{region}/dynamodb/aws4_request";
        var signature = Signature(secret, amzDate, region, $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hash(canonical)}");

        var request = Post(endpoint, target, sendBody ?? body);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (token is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return request;
    }

    /// <summary>A presigned request: the signature in the query string, the body's hash signed, host the only signed header.</summary>
    public static HttpRequestMessage Presigned(Uri endpoint, string target, string body, string key, string secret, int expires = 300, bool breakSignature = false)
    {
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/us-east-1/dynamodb/aws4_request";
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = $"{key}/{scope}",
            ["X-Amz-Date"] = amzDate,
            ["X-Amz-Expires"] = expires.ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var queryText = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        var canonical = $"POST\n/\n{queryText}\nhost:{endpoint.Authority}\n\nhost\n{Hash(body)}";
        var signature = Signature(secret, amzDate, "us-east-1", $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hash(canonical)}");
        if (breakSignature) signature = new string('0', signature.Length);
        return Post(new Uri(endpoint, $"/?{queryText}&X-Amz-Signature={signature}"), target, body);
    }

    /// <summary>A GET with no body (an admin request), signed in the Authorization header.</summary>
    public static HttpRequestMessage SignedGet(Uri url, string key, string secret)
    {
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/us-east-1/dynamodb/aws4_request";
        var canonical = $"GET\n{url.AbsolutePath}\n\nhost:{url.Authority}\nx-amz-date:{amzDate}\n\nhost;x-amz-date\n{Hash("")}";
        var signature = Signature(secret, amzDate, "us-east-1", $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hash(canonical)}");
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders=host;x-amz-date, Signature={signature}");
        return request;
    }

    public static HttpRequestMessage Post(Uri uri, string target, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    private static string Signature(string secret, string amzDate, string region, string stringToSign)
    {
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { amzDate[..8], region, "dynamodb", "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
