namespace OrleansDynamo.Grains;

/// <summary>
/// The one door of the cluster for Orleans clients when the silos check credentials: a client sends each DynamoDB
/// request here with a <see cref="ClientProof"/>, and the silo verifies the proof, applies the principal's policy and
/// runs the request on its own request path. Every other OrleansDynamo grain refuses calls from client connections
/// then. A stateless worker, so the request runs on the gateway silo the client is connected to.
/// </summary>
[Alias("odyn.IRequestGateGrain")]
public interface IRequestGateGrain : IGrainWithIntegerKey
{
    /// <summary>Runs <paramref name="request"/> (a DynamoDB operation's request record) and answers its response record.</summary>
    [Alias("Invoke")] Task<object> Invoke(ClientProof proof, object request);
}

/// <summary>
/// Who a client is, shown the way SigV4 shows it: an access key and a signature, made with the key's secret, of the
/// time and a random nonce. The silo recomputes the signature from the secret it holds; the proof is good for 15
/// minutes either side of its time, as a SigV4 signature is, and the client makes a new one before then.
/// </summary>
/// <param name="AccessKeyId">A key of the server's credentials file.</param>
/// <param name="SessionToken">The key's session token, for a temporary key.</param>
/// <param name="AmzDate">yyyyMMddTHHmmssZ, UTC.</param>
/// <param name="Nonce">Random, so that no two proofs are alike.</param>
/// <param name="Signature">Hex HMAC-SHA256, with the key's SigV4 signing key, of SigV4's string to sign with a hash of the
/// nonce where a request's hash goes (<c>SigningKeys.ClientProofStringToSign</c>).</param>
[GenerateSerializer, Immutable, Alias("odyn.ClientProof")]
public sealed record ClientProof(
    [property: Id(0)] string AccessKeyId,
    [property: Id(1)] string? SessionToken,
    [property: Id(2)] string AmzDate,
    [property: Id(3)] string Nonce,
    [property: Id(4)] string Signature)
{
    /// <summary>Never the signature.</summary>
    public override string ToString() => $"ClientProof {AccessKeyId} at {AmzDate}";
}
