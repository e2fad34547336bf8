using Npgsql;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// The one place that turns Npgsql and PostgreSQL failures into <see cref="PostgresStorageException"/>,
/// so no Npgsql type escapes the PostgreSQL storage.
/// </summary>
internal static class PostgresErrors
{
    /// <summary>Whether <paramref name="error"/> comes from Npgsql and must be translated.</summary>
    public static bool IsDatabaseError(Exception error) => error is NpgsqlException;

    public static PostgresStorageException Translate(Exception error, string operation) => error switch
    {
        PostgresException server => new PostgresStorageException(
            $"PostgreSQL refused to {operation}: {server.SqlState} {server.MessageText}",
            server.IsTransient, server.SqlState, server),
        NpgsqlException client => new PostgresStorageException(
            $"PostgreSQL could not be reached to {operation}: {client.Message}",
            client.IsTransient, null, client),
        _ => new PostgresStorageException($"PostgreSQL storage failed to {operation}: {error.Message}", false, null, error),
    };
}
