using System.Security.Cryptography;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Security;

/// <summary>Makes the client's <see cref="ClientProof"/>, and a fresh one every five minutes, well inside the 15 the silo allows.</summary>
public sealed class ClientProofSigner(string accessKeyId, string secretAccessKey, string? sessionToken, string region, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly SigningKeys _keys = new(region);
    private volatile ClientProof? _proof;
    private DateTimeOffset _madeAt;

    public ClientProof Current
    {
        get
        {
            var (proof, now) = (_proof, clock.GetUtcNow());
            if (proof is not null && now - _madeAt < Lifetime) return proof;
            var amzDate = SignatureTimes.Format(now);
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var signature = _keys.Sign(secretAccessKey, amzDate[..8], _keys.ClientProofStringToSign(amzDate, nonce));
            _madeAt = now;
            return _proof = new ClientProof(accessKeyId, sessionToken, amzDate, nonce, signature);
        }
    }
}
