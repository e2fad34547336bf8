using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Security;

namespace OrleansDynamo.Server.Security;

/// <summary>
/// Checks AWS Signature Version 4 on a DynamoDB request, in the Authorization header form and the presigned
/// query-string form, by the rules of the AWS General Reference: the canonical request (method, path encoded twice
/// as for every service but S3, sorted query, signed headers with their values trimmed, payload hash), the string to
/// sign, and the signing key derived from the secret, date, region and service (cached per day, as the SDKs do).
/// Answers the principal, or throws DynamoDB's authentication errors.
/// </summary>
public sealed class SigV4Verifier(CredentialStore credentials, SigningKeys keys, TimeProvider clock)
{
    private const string Algorithm = SigningKeys.Algorithm;
    private const string Service = SigningKeys.Service;
    private const string Terminator = SigningKeys.Terminator;
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string DateFormat = SigningKeys.DateFormat;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _signedHeaderLists = new(StringComparer.Ordinal);

    /// <summary>The parts of a signature, from either form.</summary>
    private sealed record Signed(string Credential, string SignedHeaders, string Signature, string AmzDate, bool Presigned, TimeSpan? Expires);

    public Principal Verify(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var signed = Read(request);
        var scope = signed.Credential.Split('/');
        if (scope.Length != 5) throw DynamoErrors.IncompleteSignature(
            $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{signed.Credential}'");
        var (accessKey, scopeDate, scopeRegion, scopeService, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4]);
        if (terminator != Terminator) throw DynamoErrors.CredentialWrongTerminator(terminator);
        if (scopeService != Service) throw DynamoErrors.CredentialWrongService(Service);
        if (scopeRegion != keys.Region) throw DynamoErrors.CredentialWrongRegion(scopeRegion);

        var time = SignatureTimes.Parse(signed.AmzDate); // yyyyMMddTHHmmssZ from here on
        if (scopeDate != signed.AmzDate[..8]) throw DynamoErrors.CredentialDateMismatch(scopeDate, signed.AmzDate[..8], signed.AmzDate);
        SignatureTimes.Check(clock, time, signed.AmzDate, signed.Expires);

        if (!credentials.TryFind(accessKey, out var principal)) throw DynamoErrors.UnrecognizedClient();
        CheckSessionToken(request, signed, principal);

        var signedHeaders = SignedHeaderNames(signed.SignedHeaders);
        if (!signedHeaders.Contains("host")) throw DynamoErrors.HostNotSigned();
        var canonical = CanonicalRequest(request, signed, signedHeaders, body);
        var stringToSign = $"{Algorithm}\n{signed.AmzDate}\n{keys.Scope(scopeDate)}\n{SigningKeys.HexHash(canonical)}";
        if (!keys.IsSignature(principal.SecretAccessKey, scopeDate, stringToSign, signed.Signature))
            throw DynamoErrors.SignatureMismatch();
        return principal;
    }

    /// <summary>The SDKs sign the same headers on every request: their list is split once.</summary>
    private string[] SignedHeaderNames(string signedHeaders)
    {
        if (_signedHeaderLists.TryGetValue(signedHeaders, out var names)) return names;
        if (_signedHeaderLists.Count > 256) _signedHeaderLists.Clear();
        return _signedHeaderLists[signedHeaders] = signedHeaders.Split(';');
    }

    /// <summary>The signature's parts; MissingAuthenticationToken without any, IncompleteSignature with some missing.</summary>
    private static Signed Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0) return FromHeader(request, authorization);
        var query = request.Query;
        if (!query.ContainsKey("X-Amz-Algorithm") && !query.ContainsKey("X-Amz-Signature") && !query.ContainsKey("X-Amz-Credential"))
            throw DynamoErrors.MissingAuthenticationToken();
        var missing = new StringBuilder();
        foreach (var part in (string[])["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"])
            if (string.IsNullOrEmpty(query[part])) missing.Append(DynamoErrors.MissingQueryPart(part));
        if (missing.Length > 0) throw DynamoErrors.IncompleteSignature(missing + DynamoErrors.ReexamineQuery);
        if (query["X-Amz-Algorithm"] != Algorithm) throw DynamoErrors.UnsupportedSignatureAlgorithm(query["X-Amz-Algorithm"].ToString());
        TimeSpan? expires = int.TryParse(query["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
        return new Signed(query["X-Amz-Credential"]!, query["X-Amz-SignedHeaders"]!, query["X-Amz-Signature"]!, query["X-Amz-Date"]!, true, expires);
    }

    private static Signed FromHeader(HttpRequest request, string authorization)
    {
        var space = authorization.IndexOf(' ');
        var scheme = space < 0 ? authorization : authorization[..space];
        if (scheme != Algorithm) throw DynamoErrors.UnsupportedSignatureAlgorithm(scheme);
        string? credential = null, signedHeaders = null, signature = null;
        var rest = authorization.AsSpan(space + 1);
        foreach (var range in rest.Split(','))
        {
            var part = rest[range].Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0) continue;
            var name = part[..equals];
            var value = part[(equals + 1)..];
            if (name.SequenceEqual("Credential")) credential = value.ToString();
            else if (name.SequenceEqual("SignedHeaders")) signedHeaders = value.ToString();
            else if (name.SequenceEqual("Signature")) signature = value.ToString();
        }
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length == 0 && DateTimeOffset.TryParse(request.Headers.Date.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            amzDate = date.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);
        if (credential is not null && signature is not null && signedHeaders is not null && amzDate.Length > 0)
            return new Signed(credential, signedHeaders, signature, amzDate, false, null);
        var missing = new StringBuilder();
        if (credential is null) missing.Append(DynamoErrors.MissingAuthorizationPart("Credential"));
        if (signature is null) missing.Append(DynamoErrors.MissingAuthorizationPart("Signature"));
        if (signedHeaders is null) missing.Append(DynamoErrors.MissingAuthorizationPart("SignedHeaders"));
        if (amzDate.Length == 0) missing.Append(DynamoErrors.MissingAuthorizationDate);
        throw DynamoErrors.IncompleteSignature($"{missing}Authorization={authorization}");
    }

    /// <summary>A session token is needed exactly when the key is a temporary one, and must be its token.</summary>
    private static void CheckSessionToken(HttpRequest request, Signed signed, Principal principal)
    {
        var sent = signed.Presigned ? request.Query["X-Amz-Security-Token"].ToString() : request.Headers["X-Amz-Security-Token"].ToString();
        if (!SigningKeys.SameSecret(sent, principal.SessionToken)) throw DynamoErrors.UnrecognizedClient();
    }

    [ThreadStatic] private static StringBuilder? _canonicalBuilder;

    private static string CanonicalRequest(HttpRequest request, Signed signed, string[] signedHeaders, ReadOnlySpan<byte> body)
    {
        var builder = _canonicalBuilder ??= new StringBuilder(1024);
        builder.Clear();
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(request.Path.Value)).Append('\n');
        builder.Append(CanonicalQuery(request.QueryString.Value, signed.Presigned)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers[name];
            builder.Append(name).Append(':');
            for (var i = 0; i < values.Count; i++) AppendTrimmed(i == 0 ? builder : builder.Append(','), values[i]);
            builder.Append('\n');
        }
        builder.Append('\n').Append(signed.SignedHeaders).Append('\n');
        builder.Append(PayloadHash(request, body));
        return builder.ToString();
    }

    /// <summary>The hash the client signed: the X-Amz-Content-Sha256 it sent, which must be the body's, or the body's own.</summary>
    private static string PayloadHash(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var declared = request.Headers["X-Amz-Content-Sha256"].ToString();
        if (declared == UnsignedPayload) return declared;
        var actual = Hex(SHA256.HashData(body));
        if (declared.Length == 0) return actual;
        return string.Equals(declared, actual, StringComparison.OrdinalIgnoreCase) ? declared : throw DynamoErrors.SignatureMismatch();
    }

    private static string CanonicalPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "/") return "/";
        // Every service but S3 signs the path encoded twice (the SDKs encode the already encoded path again).
        return string.Join('/', path.Split('/').Select(segment => Encode(Encode(segment))));
    }

    private static string CanonicalQuery(string? query, bool presigned)
    {
        if (string.IsNullOrEmpty(query) || query == "?") return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Encode(Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]));
            var value = equals < 0 ? "" : Encode(Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' ')));
            if (presigned && key == "X-Amz-Signature") continue;
            pairs.Add((key, value));
        }
        return string.Join('&', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX in upper case.</summary>
    private static string Encode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>The value without leading and trailing spaces, and each run of spaces inside as one, as SigV4 signs it.</summary>
    private static void AppendTrimmed(StringBuilder builder, string? value)
    {
        var text = (value ?? "").AsSpan().Trim();
        if (!text.Contains("  ", StringComparison.Ordinal) && text.IndexOfAny("\t\r\n") < 0)
        {
            builder.Append(text); // what the SDKs send: nothing to fold
            return;
        }
        var inSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inSpace = true;
                continue;
            }
            if (inSpace) builder.Append(' ');
            inSpace = false;
            builder.Append(c);
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
