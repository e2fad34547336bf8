using System.Text;

namespace OrleansDynamo.Model;

/// <summary>One DynamoDB attribute value of any of the ten types. Immutable.</summary>
/// <remarks>One sealed class with a type tag rather than a class per type: it serializes as one
/// compact shape on the Orleans wire and switches on <see cref="Type"/> cheaply.</remarks>
[GenerateSerializer, Immutable, Alias("odyn.AV")]
public sealed class AttributeValue : IEquatable<AttributeValue>
{
    [Id(0)] public AttributeType Type { get; }
    [Id(1)] private readonly string? _s;
    [Id(2)] private readonly DynamoNumber _n;
    [Id(3)] private readonly byte[]? _b;
    [Id(4)] private readonly string[]? _ss;
    [Id(5)] private readonly DynamoNumber[]? _ns;
    [Id(6)] private readonly byte[][]? _bs;
    [Id(7)] private readonly Dictionary<string, AttributeValue>? _m;
    [Id(8)] private readonly AttributeValue[]? _l;
    [Id(9)] private readonly bool _bool;

    private AttributeValue(AttributeType type, string? s = null, DynamoNumber n = default, byte[]? b = null,
        string[]? ss = null, DynamoNumber[]? ns = null, byte[][]? bs = null,
        Dictionary<string, AttributeValue>? m = null, AttributeValue[]? l = null, bool boolean = false)
    {
        Type = type; _s = s; _n = n; _b = b; _ss = ss; _ns = ns; _bs = bs; _m = m; _l = l; _bool = boolean;
    }

    public static AttributeValue FromS(string value) => new(AttributeType.S, s: value);
    public static AttributeValue FromN(DynamoNumber value) => new(AttributeType.N, n: value);
    public static AttributeValue FromN(string value) => new(AttributeType.N, n: DynamoNumber.Parse(value));
    public static AttributeValue FromB(byte[] value) => new(AttributeType.B, b: value);
    public static AttributeValue FromSS(IEnumerable<string> values) => new(AttributeType.SS, ss: values.ToArray());
    public static AttributeValue FromNS(IEnumerable<DynamoNumber> values) => new(AttributeType.NS, ns: values.ToArray());
    public static AttributeValue FromBS(IEnumerable<byte[]> values) => new(AttributeType.BS, bs: values.ToArray());
    public static AttributeValue FromM(IReadOnlyDictionary<string, AttributeValue> values) =>
        new(AttributeType.M, m: new Dictionary<string, AttributeValue>(values, StringComparer.Ordinal));
    public static AttributeValue FromL(IEnumerable<AttributeValue> values) => new(AttributeType.L, l: values.ToArray());
    public static AttributeValue FromBool(bool value) => value ? True : False;

    public static readonly AttributeValue Null = new(AttributeType.NULL, boolean: true);
    public static readonly AttributeValue True = new(AttributeType.BOOL, boolean: true);
    public static readonly AttributeValue False = new(AttributeType.BOOL, boolean: false);

    public string S => Type == AttributeType.S ? _s! : throw WrongType(AttributeType.S);
    public DynamoNumber N => Type == AttributeType.N ? _n : throw WrongType(AttributeType.N);
    public ReadOnlyMemory<byte> B => Type == AttributeType.B ? _b! : throw WrongType(AttributeType.B);
    public IReadOnlyList<string> SS => Type == AttributeType.SS ? _ss! : throw WrongType(AttributeType.SS);
    public IReadOnlyList<DynamoNumber> NS => Type == AttributeType.NS ? _ns! : throw WrongType(AttributeType.NS);
    public IReadOnlyList<byte[]> BS => Type == AttributeType.BS ? _bs! : throw WrongType(AttributeType.BS);
    public IReadOnlyDictionary<string, AttributeValue> M => Type == AttributeType.M ? _m! : throw WrongType(AttributeType.M);
    public IReadOnlyList<AttributeValue> L => Type == AttributeType.L ? _l! : throw WrongType(AttributeType.L);
    public bool BOOL => Type == AttributeType.BOOL ? _bool : throw WrongType(AttributeType.BOOL);

    public bool IsSet => Type is AttributeType.SS or AttributeType.NS or AttributeType.BS;

    /// <summary>Number of members of a set, elements of a list or entries of a map.</summary>
    public int Count => Type switch
    {
        AttributeType.SS => _ss!.Length,
        AttributeType.NS => _ns!.Length,
        AttributeType.BS => _bs!.Length,
        AttributeType.M => _m!.Count,
        AttributeType.L => _l!.Length,
        _ => throw new InvalidOperationException($"{Type} has no members"),
    };

    private InvalidOperationException WrongType(AttributeType wanted) => new($"Attribute value is {Type}, not {wanted}");

    /// <summary>DynamoDB's size of this value in bytes (without the attribute name).</summary>
    /// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html</remarks>
    public int SizeInBytes => Type switch
    {
        AttributeType.S => Encoding.UTF8.GetByteCount(_s!),
        AttributeType.N => _n.SizeInBytes,
        AttributeType.B => _b!.Length,
        AttributeType.SS => _ss!.Sum(Encoding.UTF8.GetByteCount),
        AttributeType.NS => _ns!.Sum(n => n.SizeInBytes),
        AttributeType.BS => _bs!.Sum(b => b.Length),
        AttributeType.M => 3 + _m!.Sum(e => Encoding.UTF8.GetByteCount(e.Key) + e.Value.SizeInBytes + 1),
        AttributeType.L => 3 + _l!.Sum(e => e.SizeInBytes + 1),
        _ => 1,
    };

    public bool Equals(AttributeValue? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Type != Type) return false;
        return Type switch
        {
            AttributeType.S => _s == other._s,
            AttributeType.N => _n == other._n,
            AttributeType.B => _b.AsSpan().SequenceEqual(other._b),
            AttributeType.SS => SetEquals(_ss!, other._ss!, StringComparer.Ordinal),
            AttributeType.NS => SetEquals(_ns!, other._ns!, EqualityComparer<DynamoNumber>.Default),
            AttributeType.BS => SetEquals(_bs!, other._bs!, ByteArrayComparer.Instance),
            AttributeType.M => _m!.Count == other._m!.Count &&
                _m.All(e => other._m.TryGetValue(e.Key, out var v) && e.Value.Equals(v)),
            AttributeType.L => _l!.Length == other._l!.Length && _l.Zip(other._l).All(p => p.First.Equals(p.Second)),
            _ => _bool == other._bool,
        };
    }

    private static bool SetEquals<T>(T[] a, T[] b, IEqualityComparer<T> comparer) =>
        a.Length == b.Length && new HashSet<T>(a, comparer).SetEquals(b);

    public override bool Equals(object? obj) => Equals(obj as AttributeValue);

    public override int GetHashCode() => Type switch
    {
        AttributeType.S => HashCode.Combine(Type, _s),
        AttributeType.N => HashCode.Combine(Type, _n),
        AttributeType.B => HashCode.Combine(Type, ByteArrayComparer.Instance.GetHashCode(_b!)),
        AttributeType.M or AttributeType.L or AttributeType.SS or AttributeType.NS or AttributeType.BS => HashCode.Combine(Type, Count),
        _ => HashCode.Combine(Type, _bool),
    };

    public override string ToString() => Type switch
    {
        AttributeType.S => $"{{S: {_s}}}",
        AttributeType.N => $"{{N: {_n}}}",
        AttributeType.B => $"{{B: {Convert.ToBase64String(_b!)}}}",
        AttributeType.SS => $"{{SS: [{string.Join(", ", _ss!)}]}}",
        AttributeType.NS => $"{{NS: [{string.Join(", ", _ns!)}]}}",
        AttributeType.BS => $"{{BS: [{string.Join(", ", _bs!.Select(Convert.ToBase64String))}]}}",
        AttributeType.M => $"{{M: {{{string.Join(", ", _m!.Select(e => $"{e.Key}={e.Value}"))}}}}}",
        AttributeType.L => $"{{L: [{string.Join(", ", (IEnumerable<AttributeValue>)_l!)}]}}",
        AttributeType.NULL => "{NULL: true}",
        _ => $"{{BOOL: {(_bool ? "true" : "false")}}}",
    };
}

/// <summary>Content equality for byte arrays (binary values and binary set members).</summary>
public sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IComparer<byte[]>
{
    public static readonly ByteArrayComparer Instance = new();
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
    /// <summary>Unsigned byte order, as DynamoDB orders binary keys.</summary>
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
