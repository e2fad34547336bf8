namespace OrleansDynamo.Model;

/// <summary>The ten DynamoDB data types, named as in the wire protocol.</summary>
public enum AttributeType : byte
{
    S, N, B, SS, NS, BS, M, L, NULL, BOOL,
}
