using OrleansDynamo.Grains;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Backups;

/// <summary>
/// A backup's items live in a space of their own, <c>~backup/&lt;id&gt;</c>, in the same store as the tables, with
/// the same item keys; no table name can start with <c>~</c>, so it never meets a table's space.
/// </summary>
public static class BackupSpaces
{
    public const string Owner = ImageSource.BackupOwner;

    public static StoreSpace Of(string backupId) => new(Owner, backupId);

    public static bool IsBackup(StoreSpace space) => space.TableName == Owner;

    /// <summary>A new id, as DynamoDB's: the creation time in milliseconds, then 8 hex digits.</summary>
    public static string NewId(DateTimeOffset now) => $"{now.ToUnixTimeMilliseconds():D14}-{Random.Shared.Next():x8}";
}
