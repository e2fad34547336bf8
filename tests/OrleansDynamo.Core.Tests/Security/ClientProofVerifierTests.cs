using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Security;

namespace OrleansDynamo.Core.Tests.Security;

/// <summary>The Orleans client's proof, made by the client's signer and checked as the silo checks it.</summary>
public sealed class ClientProofVerifierTests : IDisposable
{
    private readonly string _credentials = Path.Combine(Path.GetTempPath(), $"odyn-proof-{Guid.NewGuid():N}.json");
    private readonly ManualClock _clock = new();

    public ClientProofVerifierTests() => File.WriteAllText(_credentials, """
        {"principals": [
          {"name": "alice", "accessKeyId": "AKALICE", "secretAccessKey": "alice-secret", "policy": {"Statement": []}},
          {"name": "temp", "accessKeyId": "AKTEMP", "secretAccessKey": "temp-secret", "sessionToken": "token-1", "policy": {"Statement": []}}]}
        """);

    private ClientProofVerifier Verifier() => new(CredentialStore.Load(_credentials), new SigningKeys("us-east-1"), _clock);

    private ClientProof Proof(string key, string secret, string? token = null, string region = "us-east-1") =>
        new ClientProofSigner(key, secret, token, region, _clock).Current;

    [Fact]
    public void The_right_key_is_its_principal_and_a_proof_is_good_for_15_minutes_either_way()
    {
        var verifier = Verifier();
        var proof = Proof("AKALICE", "alice-secret");
        Assert.Equal("alice", verifier.Verify(proof).Name);
        Assert.Equal("alice", verifier.Verify(proof).Name); // remembered, and still checked for its time
        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(DynamoErrorTypes.InvalidSignature, Assert.Throws<DynamoException>(() => verifier.Verify(proof)).ErrorType);
        _clock.Advance(TimeSpan.FromMinutes(-32));
        Assert.Equal(DynamoErrorTypes.InvalidSignature, Assert.Throws<DynamoException>(() => verifier.Verify(proof)).ErrorType);
    }

    [Fact]
    public void A_wrong_secret_region_key_or_session_token_is_refused()
    {
        var verifier = Verifier();
        Assert.Equal(DynamoErrorTypes.InvalidSignature, Assert.Throws<DynamoException>(() => verifier.Verify(Proof("AKALICE", "wrong"))).ErrorType);
        Assert.Equal(DynamoErrorTypes.InvalidSignature,
            Assert.Throws<DynamoException>(() => verifier.Verify(Proof("AKALICE", "alice-secret", region: "eu-west-1"))).ErrorType);
        Assert.Equal(DynamoErrorTypes.UnrecognizedClient, Assert.Throws<DynamoException>(() => verifier.Verify(Proof("AKNOBODY", "alice-secret"))).ErrorType);
        Assert.Equal(DynamoErrorTypes.UnrecognizedClient, Assert.Throws<DynamoException>(() => verifier.Verify(Proof("AKTEMP", "temp-secret"))).ErrorType);
        Assert.Equal("temp", verifier.Verify(Proof("AKTEMP", "temp-secret", "token-1")).Name);
    }

    [Fact]
    public void A_verified_signature_does_not_vouch_for_another_key_or_a_tampered_proof()
    {
        var verifier = Verifier();
        var proof = Proof("AKALICE", "alice-secret");
        verifier.Verify(proof);
        Assert.Equal(DynamoErrorTypes.InvalidSignature, Assert.Throws<DynamoException>(() => verifier.Verify(proof with { AccessKeyId = "AKTEMP", SessionToken = "token-1" })).ErrorType);
        Assert.Equal(DynamoErrorTypes.InvalidSignature, Assert.Throws<DynamoException>(() => verifier.Verify(proof with { Nonce = "other" } with { Signature = proof.Signature[..^1] + (proof.Signature[^1] == '0' ? "1" : "0") })).ErrorType);
        Assert.Equal(DynamoErrorTypes.InvalidSignature, Assert.Throws<DynamoException>(() => verifier.Verify(proof with { Signature = "not hex" })).ErrorType);
        Assert.Equal("alice", verifier.Verify(proof with { Signature = proof.Signature.ToUpperInvariant() }).Name);
    }

    public void Dispose() => File.Delete(_credentials);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
