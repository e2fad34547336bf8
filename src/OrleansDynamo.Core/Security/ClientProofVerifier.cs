using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Security;

/// <summary>
/// Checks an Orleans client's <see cref="ClientProof"/> as <c>SigV4Verifier</c> checks an HTTP signature: a known access
/// key, its session token when it has one, a time within 15 minutes, and the signature recomputed from the secret.
/// A proof once verified is remembered until it expires, so each request costs a lookup, not four HMACs; the key is
/// looked up again on every request, so a key removed from the credentials file stops working at once.
/// </summary>
public sealed class ClientProofVerifier(CredentialStore credentials, SigningKeys keys, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (string Secret, DateTimeOffset Time)> _verified = new(StringComparer.Ordinal);

    public string Region => keys.Region;

    public Principal Verify(ClientProof proof)
    {
        // A proof seen before skips parsing its time as well as the HMAC; the time is still held to the window.
        var time = _verified.TryGetValue(proof.Signature, out var known) ? known.Time : SignatureTimes.Parse(proof.AmzDate);
        SignatureTimes.Check(clock, time, proof.AmzDate);
        if (!credentials.TryFind(proof.AccessKeyId, out var principal)) throw DynamoErrors.UnrecognizedClient();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(proof.SessionToken ?? ""), Encoding.UTF8.GetBytes(principal.SessionToken ?? "")))
            throw DynamoErrors.UnrecognizedClient();
        if (known.Secret is not null && known.Secret == principal.SecretAccessKey) return principal;

        var date = proof.AmzDate[..8];
        if (!keys.IsSignature(principal.SecretAccessKey, date, ClientProof.StringToSign(proof.AmzDate, keys.Scope(date), proof.Nonce), proof.Signature))
            throw DynamoErrors.SignatureMismatch();
        Remember(proof.Signature, principal.SecretAccessKey, time);
        return principal;
    }

    private void Remember(string signature, string secret, DateTimeOffset time)
    {
        if (_verified.Count > 4096)
        {
            var stale = clock.GetUtcNow() - SigningKeys.AllowedSkew;
            foreach (var entry in _verified) if (entry.Value.Time < stale) _verified.TryRemove(entry.Key, out _);
        }
        _verified[signature] = (secret, time);
    }
}
