namespace OrleansDynamo.Server.Protocol;

/// <summary>Request ids in DynamoDB's form: 52 upper-case letters and digits.</summary>
internal static class RequestIds
{
    private const int Length = 52;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // Unique enough to find a request in the logs; not a secret, so no cryptographic generator.
    public static string Next() => string.Create(Length, 0, static (chars, _) => Random.Shared.GetItems(Alphabet, chars));
}
