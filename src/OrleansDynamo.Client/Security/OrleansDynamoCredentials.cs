namespace OrleansDynamo.Client.Security;

/// <summary>
/// The access key an Orleans client proves itself with, one of the server's credentials file. The secret never leaves
/// the client: it signs a <see cref="Grains.ClientProof"/> that the silo checks.
/// </summary>
public sealed record OrleansDynamoCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Never the secret.</summary>
    public override string ToString() => $"OrleansDynamoCredentials {AccessKeyId}";
}
