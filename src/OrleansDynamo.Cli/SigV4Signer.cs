using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansDynamo.Cli;

/// <summary>
/// AWS Signature Version 4 for the admin port's GETs, with the DynamoDB service name as the server expects. The SDK's
/// signer works only on its own request objects, and a GET without a body signs in a few lines.
/// </summary>
internal static class SigV4Signer
{
    private const string Service = "dynamodb";
    private static readonly string EmptyPayloadHash = Hex(SHA256.HashData([]));

    public static void Sign(HttpRequestMessage request, string accessKey, string secretKey, string region, DateTime utcNow)
    {
        var uri = request.RequestUri!;
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Host = host;
        request.Headers.Add("X-Amz-Date", amzDate);
        request.Headers.Add("X-Amz-Content-Sha256", EmptyPayloadHash);

        const string signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        // Every service but S3 signs the path with each segment encoded twice; the admin paths are plain ASCII either way.
        var canonicalRequest = string.Join('\n', request.Method.Method, CanonicalPath(uri.AbsolutePath), CanonicalQuery(uri.Query),
            $"host:{host}", $"x-amz-content-sha256:{EmptyPayloadHash}", $"x-amz-date:{amzDate}", "", signedHeaders, EmptyPayloadHash);
        var scope = $"{date}/{region}/{Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, Service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static string CanonicalPath(string path) =>
        path.Length <= 1 ? "/" : string.Join('/', path.Split('/').Select(segment => Encode(Encode(Uri.UnescapeDataString(segment)))));

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Key: Encode(Uri.UnescapeDataString(parts[0])), Value: parts.Length > 1 ? Encode(Uri.UnescapeDataString(parts[1])) : ""))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    /// <summary>RFC 3986: unreserved characters as they are, every other byte as %XX in upper case.</summary>
    private static string Encode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~') builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
