namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// PostgreSQL could not do what the store asked: the server is unreachable, refused the request or failed.
/// The only exception, besides <see cref="StaleEpochException"/> and cancellation, that the PostgreSQL
/// storage lets out; callers answer it with InternalServerError.
/// </summary>
public sealed class PostgresStorageException(string message, bool isTransient, string? sqlState, Exception? innerException)
    : Exception(message, innerException)
{
    /// <summary>Whether the same request may succeed if retried (a lost connection, a timeout, a deadlock).</summary>
    public bool IsTransient { get; } = isTransient;

    /// <summary>The PostgreSQL error code (SQLSTATE), when the server answered with an error.</summary>
    public string? SqlState { get; } = sqlState;
}
