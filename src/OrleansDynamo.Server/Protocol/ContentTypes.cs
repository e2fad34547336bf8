namespace OrleansDynamo.Server.Protocol;

/// <summary>The media types DynamoDB speaks: its own <c>application/x-amz-json-1.0</c>, and plain JSON.</summary>
internal static class ContentTypes
{
    public const string AmzJson = "application/x-amz-json-1.0";
    public const string Json = "application/json";

    public static bool IsAccepted(string? contentType)
    {
        var mediaType = MediaType(contentType);
        return mediaType.Equals(AmzJson, StringComparison.OrdinalIgnoreCase) || mediaType.Equals(Json, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>DynamoDB answers in plain JSON to a client that sent plain JSON, else in its own type.</summary>
    public static string ForResponse(string? requestContentType) =>
        MediaType(requestContentType).Equals(Json, StringComparison.OrdinalIgnoreCase) ? Json : AmzJson;

    private static ReadOnlySpan<char> MediaType(string? contentType)
    {
        var value = contentType.AsSpan();
        var parameters = value.IndexOf(';');
        return (parameters < 0 ? value : value[..parameters]).Trim();
    }
}
