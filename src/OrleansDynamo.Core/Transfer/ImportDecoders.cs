using System.Buffers;
using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Transfer;

/// <summary>An item read from an input record, or why there is none.</summary>
internal readonly record struct DecodedRecord(Item? Item, DynamoException? Error, long Line);

/// <summary>Turns the (decompressed) bytes of one input object into records, fed in chunks.</summary>
internal interface IImportDecoder
{
    /// <summary>The line being read, for an error that is not any one record's.</summary>
    long Line { get; }

    /// <summary>Set once the object cannot yield items any more: the rest of it is skipped.</summary>
    bool Abandoned { get; }

    void Feed(ReadOnlySpan<byte> bytes, List<DecodedRecord> records);

    void Finish(List<DecodedRecord> records);
}

internal static class ImportDecoders
{
    /// <summary>
    /// The most text one record may have. Items are at most 400 KB, and their JSON or CSV is at most a few
    /// times that (escapes, base64, type wrappers): a longer record is too large an item, and is not buffered whole.
    /// </summary>
    public const int MaxRecordLength = 16 * 1024 * 1024;

    public static IImportDecoder For(ImportFormatOptions options) => options.Format switch
    {
        ImportInputFormat.Csv => new CsvDecoder(options),
        _ => new JsonLinesDecoder(),
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>DYNAMODB_JSON: one <c>{"Item":{...}}</c> per line; blank lines are skipped.</summary>
    private sealed class JsonLinesDecoder : IImportDecoder
    {
        private readonly ArrayBufferWriter<byte> _record = new();
        private bool _tooLarge;
        private bool _atStart = true;

        public long Line { get; private set; } = 1;

        public bool Abandoned => false;

        public void Feed(ReadOnlySpan<byte> bytes, List<DecodedRecord> records)
        {
            while (!bytes.IsEmpty)
            {
                var end = bytes.IndexOf((byte)'\n');
                var part = end < 0 ? bytes : bytes[..end];
                if (_record.WrittenCount + part.Length > MaxRecordLength) _tooLarge = true;
                else _record.Write(part);
                if (end < 0) return;
                EndRecord(records);
                bytes = bytes[(end + 1)..];
            }
        }

        public void Finish(List<DecodedRecord> records)
        {
            if (_record.WrittenCount > 0 || _tooLarge) EndRecord(records);
        }

        private void EndRecord(List<DecodedRecord> records)
        {
            var record = _record.WrittenMemory;
            if (_atStart && record.Span.StartsWith(Utf8Bom)) record = record[Utf8Bom.Length..];
            _atStart = false;
            if (_tooLarge) records.Add(new DecodedRecord(null, DynamoErrors.ItemTooLarge(), Line));
            else if (!record.Span.Trim(" \t\r"u8).IsEmpty)
            {
                var item = DynamoJsonItemReader.Read(record, out var error);
                records.Add(new DecodedRecord(item, error, Line));
            }
            _record.ResetWrittenCount();
            _tooLarge = false;
            Line++;
        }
    }

    /// <summary>
    /// CSV: the first record of each object is its header unless a header list is given. Every value is a String,
    /// except the table's and indexes' key attributes, which take their key type (numbers as text, binaries as base64).
    /// </summary>
    private sealed class CsvDecoder(ImportFormatOptions options) : IImportDecoder
    {
        private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
        private readonly CsvRecordParser _parser = new(options.CsvDelimiter, MaxRecordLength);
        private readonly Dictionary<string, AttributeType> _keyTypes = KeyTypes(options);
        private readonly List<CsvRecordParser.Record> _parsed = [];
        private char[] _chars = [];
        private bool _atStart = true;
        private string[]? _header;

        public long Line => _parser.Line;

        public bool Abandoned { get; private set; }

        public void Feed(ReadOnlySpan<byte> bytes, List<DecodedRecord> records) => Decode(bytes, flush: false, records);

        public void Finish(List<DecodedRecord> records)
        {
            Decode([], flush: true, records);
            _parser.Finish(_parsed);
            TakeParsed(records);
        }

        private void Decode(ReadOnlySpan<byte> bytes, bool flush, List<DecodedRecord> records)
        {
            var needed = _utf8.GetCharCount(bytes, flush);
            if (_chars.Length < needed) _chars = new char[Math.Max(needed, 4096)];
            var text = _chars.AsSpan(0, _utf8.GetChars(bytes, _chars, flush));
            if (_atStart && !text.IsEmpty)
            {
                if (text[0] == '\uFEFF') text = text[1..];
                _atStart = false;
            }
            _parser.Feed(text, _parsed);
            TakeParsed(records);
        }

        private void TakeParsed(List<DecodedRecord> records)
        {
            foreach (var record in _parsed)
            {
                if (Abandoned) break;
                if (record.Error is not null) records.Add(new DecodedRecord(null, record.Error, record.Line));
                else if (_header is null && options.CsvHeaderList is null) SetHeader(record.Fields, record.Line, records);
                else
                {
                    if (_header is null) SetHeader([.. options.CsvHeaderList!], record.Line, records);
                    if (!Abandoned) records.Add(ToItem(record));
                }
            }
            _parsed.Clear();
        }

        private void SetHeader(string[] names, long line, List<DecodedRecord> records)
        {
            var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                records.Add(new DecodedRecord(null, DynamoErrors.CsvDuplicateHeader(duplicate.Key), line));
                Abandoned = true;
            }
            _header = names;
        }

        private DecodedRecord ToItem(CsvRecordParser.Record record)
        {
            var header = _header!;
            if (record.Fields.Length != header.Length)
                return new DecodedRecord(null, DynamoErrors.CsvColumnCountMismatch(header.Length, record.Fields.Length), record.Line);
            var attributes = new Dictionary<string, AttributeValue>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                var value = ToValue(header[i], record.Fields[i], out var error);
                if (error is not null) return new DecodedRecord(null, error, record.Line);
                attributes[header[i]] = value!;
            }
            return new DecodedRecord(new Item(attributes), null, record.Line);
        }

        private AttributeValue? ToValue(string name, string text, out DynamoException? error)
        {
            error = null;
            switch (_keyTypes.GetValueOrDefault(name, AttributeType.S))
            {
                case AttributeType.N:
                    if (DynamoNumber.TryParse(text, out var number, out var reason)) return AttributeValue.FromN(number);
                    error = DynamoErrors.InvalidNumber(reason);
                    return null;
                case AttributeType.B:
                    var bytes = new byte[text.Length * 3 / 4 + 3];
                    if (Convert.TryFromBase64String(text, bytes, out var written)) return AttributeValue.FromB(bytes[..written]);
                    error = DynamoErrors.CsvKeyNotBase64(name);
                    return null;
                default:
                    return AttributeValue.FromS(text);
            }
        }

        /// <summary>The table's key types, then the indexes' (a table key keeps its own type).</summary>
        private static Dictionary<string, AttributeType> KeyTypes(ImportFormatOptions options)
        {
            var types = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
            foreach (var key in options.Keys.KeyAttributes.Concat(options.IndexKeys)) types.TryAdd(key.Name, key.Type);
            return types;
        }
    }
}
