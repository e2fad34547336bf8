namespace OrleansDynamo.Storage.Postgres;

/// <summary>How a silo on PostgreSQL starts.</summary>
public sealed class OrleansDynamoPostgresOptions
{
    /// <summary>
    /// How long a starting silo waits for an unreachable PostgreSQL (a database that starts later, or fails over)
    /// before its start fails. Zero, the default, fails at once, for a supervisor that restarts the silo.
    /// </summary>
    public TimeSpan StartupWait { get; set; }
}
