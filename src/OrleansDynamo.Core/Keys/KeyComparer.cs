using OrleansDynamo.Model;

namespace OrleansDynamo.Keys;

/// <summary>Orders key values as DynamoDB does: S by UTF-8 bytes, N numerically, B by unsigned bytes.</summary>
public sealed class KeyComparer : IComparer<AttributeValue>
{
    public static readonly KeyComparer Instance = new();

    private KeyComparer() { }

    /// <remarks>Values of different types are ordered by type so that sorting mixed input stays consistent;
    /// DynamoDB never compares them (a key attribute has one type).</remarks>
    public int Compare(AttributeValue? x, AttributeValue? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        if (x.Type != y.Type) return x.Type.CompareTo(y.Type);
        return x.Type switch
        {
            AttributeType.S => CompareUtf8(x.S, y.S),
            AttributeType.N => x.N.CompareTo(y.N),
            AttributeType.B => x.B.Span.SequenceCompareTo(y.B.Span),
            _ => throw new ArgumentException($"{x.Type} is not a key type; only S, N and B values are ordered"),
        };
    }

    /// <summary>Compares strings in UTF-8 byte order (= code point order) without encoding them.</summary>
    /// <remarks>UTF-16 ordinal order differs for surrogate pairs versus U+E000..U+FFFF: a supplementary
    /// character (4 UTF-8 bytes) sorts after U+FFFF in UTF-8 but before U+E000 in UTF-16.</remarks>
    public static int CompareUtf8(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            int x = a[i], y = b[i];
            if (x == y) continue;
            return CodePointOrder(x) - CodePointOrder(y);
        }
        return a.Length - b.Length;
    }

    /// <summary>Moves surrogates above U+E000..U+FFFF so that UTF-16 units order like code points.</summary>
    private static int CodePointOrder(int c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
