namespace OrleansDynamo.Errors;

/// <summary>
/// Thrown by a partition grain that no longer owns the key or table incarnation it was asked about
/// (the table was split, deleted or re-created). The router refreshes its cached map and retries.
/// </summary>
[GenerateSerializer, Alias("odyn.StaleRouteException")]
public sealed class StaleRouteException(string message) : Exception(message);
