using System.Collections.Concurrent;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Security;

/// <summary>
/// Checks an Orleans client's <see cref="ClientProof"/> as <c>SigV4Verifier</c> checks an HTTP signature: a known access
/// key, its session token when it has one, a time within 15 minutes, and the signature recomputed from the secret.
/// A proof once verified is remembered, whole, until it expires, so each request costs a lookup, not an HMAC; the key
/// is looked up again on every request, so a key removed from the credentials file stops working at once.
/// </summary>
public sealed class ClientProofVerifier(CredentialStore credentials, SigningKeys keys, TimeProvider clock)
{
    private readonly ConcurrentDictionary<ClientProof, (string Secret, DateTimeOffset Time)> _verified = new();

    public Principal Verify(ClientProof proof)
    {
        // A proof seen before skips parsing its time as well as the HMAC; the time is still held to the window.
        var time = _verified.TryGetValue(proof, out var known) ? known.Time : SignatureTimes.Parse(proof.AmzDate);
        SignatureTimes.Check(clock, time, proof.AmzDate);
        if (!credentials.TryFind(proof.AccessKeyId, out var principal)) throw DynamoErrors.UnrecognizedClient();
        if (!SigningKeys.SameSecret(proof.SessionToken, principal.SessionToken)) throw DynamoErrors.UnrecognizedClient();
        if (known.Secret is not null && known.Secret == principal.SecretAccessKey) return principal;

        if (!keys.IsSignature(principal.SecretAccessKey, proof.AmzDate[..8], keys.ClientProofStringToSign(proof.AmzDate, proof.Nonce), proof.Signature))
            throw DynamoErrors.SignatureMismatch();
        Remember(proof, principal.SecretAccessKey, time);
        return principal;
    }

    private void Remember(ClientProof proof, string secret, DateTimeOffset time)
    {
        if (_verified.Count > 4096)
        {
            var stale = clock.GetUtcNow() - SigningKeys.AllowedSkew;
            foreach (var entry in _verified) if (entry.Value.Time < stale) _verified.TryRemove(entry.Key, out _);
        }
        _verified[proof] = (secret, time);
    }
}
