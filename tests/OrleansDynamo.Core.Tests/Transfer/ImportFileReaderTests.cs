using OrleansDynamo.Model;
using OrleansDynamo.Transfer;
using static OrleansDynamo.Core.Tests.Transfer.TransferTestFiles;

namespace OrleansDynamo.Core.Tests.Transfer;

/// <summary>
/// ImportTable's input formats: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Format.html
/// and its per-item validation: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Validation.html
/// </summary>
public sealed class ImportFileReaderTests : IDisposable
{
    private static readonly TableSchema StringKey = new(new KeyAttribute("pk", AttributeType.S), null);
    private static readonly TableSchema NumberAndSortKey = new(new KeyAttribute("id", AttributeType.N), new KeyAttribute("sk", AttributeType.S));

    private static readonly ImportFormatOptions Json = new(ImportInputFormat.DynamoDbJson, StringKey);
    private static readonly ImportFormatOptions Csv = new(ImportInputFormat.Csv, StringKey);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<List<ImportRecord>> Read(ImportFormatOptions options) => ReadAllAsync(_folder.Path, options);

    private static AttributeValue S(string text) => AttributeValue.FromS(text);

    // --- CSV ---

    [Fact]
    public async Task CSV_takes_its_first_line_as_the_header_and_every_value_as_a_string()
    {
        _folder.Write("books.csv", "pk,title,year\nb1,Dune,1965\nb2,Emma,1815\n");

        var items = (await Read(Csv)).Items();

        Assert.Equal(2, items.Count);
        AssertSameItem(ItemOf(("pk", S("b1")), ("title", S("Dune")), ("year", S("1965"))), items[0]);
        AssertSameItem(ItemOf(("pk", S("b2")), ("title", S("Emma")), ("year", S("1815"))), items[1]);
    }

    [Fact]
    public async Task CSV_with_a_header_list_reads_the_first_line_as_data()
    {
        _folder.Write("books.csv", "b1,Dune\nb2,Emma");

        var items = (await Read(Csv with { CsvHeaderList = ["pk", "title"] })).Items();

        Assert.Equal(["b1", "b2"], items.Select(i => i["pk"].S));
        Assert.Equal(["Dune", "Emma"], items.Select(i => i["title"].S));
    }

    [Fact]
    public async Task CSV_quoted_fields_hold_delimiters_line_breaks_and_doubled_quotes()
    {
        _folder.Write("quoted.csv", "\uFEFFpk,text\r\n" +
            "a,\"x, y\"\r\n" +
            "b,\"line one\r\nline two\"\r\n" +
            "c,\"say \"\"hi\"\"\"\r\n" +
            "d,\"\"\r\n");

        var records = await Read(Csv);

        Assert.Empty(records.Errors());
        Assert.Equal(["x, y", "line one\r\nline two", "say \"hi\"", ""], records.Items().Select(i => i["text"].S));
        Assert.Equal("pk", records.Items()[0].Keys.First());
    }

    [Fact]
    public async Task CSV_records_and_characters_may_straddle_the_chunks_the_file_is_read_in()
    {
        // About 150 KB: several 64 KB chunks, cut inside quoted fields, CRLFs and two-byte characters.
        var rows = Enumerable.Range(0, 3000).Select(i => $"k{i},\"é{i}\r\n{new string('é', 20)}, \"\"q\"\"\"\r\n");
        _folder.Write("big.csv", "pk,v\r\n" + string.Concat(rows));

        var records = await Read(Csv);

        Assert.Empty(records.Errors());
        var items = records.Items();
        Assert.Equal(3000, items.Count);
        for (var i = 0; i < items.Count; i++)
            Assert.Equal($"é{i}\r\n{new string('é', 20)}, \"q\"", items[i]["v"].S);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    [InlineData(' ')]
    public async Task CSV_takes_the_delimiter_it_is_given(char delimiter)
    {
        _folder.Write("d.csv", $"pk{delimiter}v\nk{delimiter}\"a{delimiter}b\"\n");

        var item = Assert.Single((await Read(Csv with { CsvDelimiter = delimiter })).Items());

        Assert.Equal($"a{delimiter}b", item["v"].S);
    }

    [Fact]
    public async Task CSV_key_attributes_take_the_key_schemas_types()
    {
        _folder.Write("keys.csv", "id,sk,gsiKey,bin,count\n42,s1,7,AQID,5\n-1.5e2,s2,8,BAU=,6\n");
        var options = new ImportFormatOptions(ImportInputFormat.Csv, NumberAndSortKey)
        {
            IndexKeys = [new KeyAttribute("gsiKey", AttributeType.N), new KeyAttribute("bin", AttributeType.B), new KeyAttribute("sk", AttributeType.N)],
        };

        var items = (await Read(options)).Items();

        Assert.Equal(2, items.Count);
        Assert.Equal(AttributeValue.FromN("42"), items[0]["id"]);
        Assert.Equal(AttributeValue.FromN("-150"), items[1]["id"]);
        Assert.Equal(AttributeValue.FromN("7"), items[0]["gsiKey"]);
        Assert.Equal(AttributeValue.FromB([1, 2, 3]), items[0]["bin"]);
        // The table's key keeps its type over an index's; other columns stay strings.
        Assert.Equal(S("s1"), items[0]["sk"]);
        Assert.Equal(S("5"), items[0]["count"]);
    }

    [Fact]
    public async Task CSV_records_that_cannot_be_items_are_errors_and_the_rest_is_read()
    {
        _folder.Write("mixed.csv",
            "id,sk,v\n" +
            "1,a,ok\n" +
            "x,b,not a number\n" +
            "2,c\n" +
            "3,d,stray\"quote\n" +
            "4,e,\"closed\"junk\n" +
            ",f,empty key\n" +
            "5,g,ok\n");

        var records = await Read(new ImportFormatOptions(ImportInputFormat.Csv, NumberAndSortKey));

        Assert.Equal(["1", "5"], records.Items().Select(i => i["id"].N.ToString()));
        var errors = records.Errors();
        Assert.Equal([3L, 4L, 5L, 6L, 7L], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("mixed.csv", e.File));
        Assert.Contains("The CSV record has 2 columns but the header has 3", errors[1].Message);
        Assert.Contains("quote", errors[2].Message);
        Assert.Contains("closing quote", errors[3].Message);
    }

    [Fact]
    public async Task A_CSV_quote_never_closed_is_an_error_at_its_line()
    {
        _folder.Write("open.csv", "pk,v\nk1,fine\nk2,\"never closed\nk3,more\n");

        var records = await Read(Csv);

        Assert.Equal(["k1"], records.Items().Select(i => i["pk"].S));
        var error = Assert.Single(records.Errors());
        Assert.Equal(3, error.Line);
        Assert.Contains("not closed", error.Message);
    }

    [Fact]
    public async Task A_CSV_header_naming_an_attribute_twice_skips_its_file_only()
    {
        _folder.Write("a.csv", "pk,v,v\nk1,x,y\nk2,x,y\n");
        _folder.Write("b.csv", "pk,v\nk3,z\n");

        var records = await Read(Csv);

        var error = Assert.Single(records.Errors());
        Assert.Equal(("a.csv", 1L), (error.File, error.Line));
        Assert.Contains("names the attribute v more than once", error.Message);
        Assert.Equal(["k3"], records.Items().Select(i => i["pk"].S));
    }

    // --- DYNAMODB_JSON ---

    [Fact]
    public async Task JSON_records_that_cannot_be_items_are_errors_with_their_line_and_the_rest_is_read()
    {
        var tooBig = new string('x', 400 * 1024);
        _folder.Write("items.json", string.Join("\n",
            """{"Item":{"pk":{"S":"first"},"n":{"N":"1"}}}""",
            """{"Item":{"pk":{"S":"broken"}""",
            """{"Item":{"other":{"S":"no key"}}}""",
            """{"Item":{"pk":{"N":"5"}}}""",
            "{\"Item\":{\"pk\":{\"S\":\"big\"},\"blob\":{\"S\":\"" + tooBig + "\"}}}",
            """{"NotItem":{}}""",
            """{"Item":{"pk":{"S":"bad"},"n":{"N":"one"}}}""",
            """{"Item":{"pk":{"S":"bad"},"ss":{"SS":[]}}}""",
            "",
            """{"Item":{"pk":{"S":"last"}}}"""));

        var records = await Read(Json);

        Assert.Equal(["first", "last"], records.Items().Select(i => i["pk"].S));
        var errors = records.Errors();
        Assert.Equal([2L, 3L, 4L, 5L, 6L, 7L, 8L], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("items.json", e.File));
        Assert.StartsWith("Unable to parse the record:", errors[0].Message);
        Assert.Equal("One or more parameter values were invalid: Missing the key pk in the item", errors[1].Message);
        Assert.Equal("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N", errors[2].Message);
        Assert.Equal("Item size has exceeded the maximum allowed size", errors[3].Message);
        Assert.Contains("\"Item\"", errors[4].Message);
        Assert.Equal("One or more parameter values were invalid: An string set  may not be empty", errors[6].Message);
    }

    [Fact]
    public async Task JSON_values_of_the_wrong_shape_are_errors()
    {
        _folder.Write("shapes.json", string.Join("\n",
            """{"Item":{"pk":{"S":"a"},"v":{"S":"x","N":"1"}}}""",
            """{"Item":{"pk":{"S":"b"},"v":{}}}""",
            """{"Item":{"pk":{"S":"c"},"v":{"N":1}}}""",
            """{"Item":{"pk":{"S":"d"},"v":{"B":"not base64!"}}}""",
            """{"Item":{"pk":{"S":"e"},"v":{"NULL":false}}}""",
            """{"Item":{"pk":{"S":"f"},"v":"plain"}}"""));

        var errors = (await Read(Json)).Errors();

        Assert.Equal(6, errors.Count);
        Assert.Contains("more than one datatypes", errors[0].Message);
        Assert.Contains("is empty", errors[1].Message);
        Assert.Contains("JSON strings", errors[2].Message);
        Assert.Contains("base64", errors[3].Message);
        Assert.Contains("Null attribute value types must have the value of true", errors[4].Message);
        Assert.Contains("attribute value is a JSON object", errors[5].Message);
    }

    // --- Compression, files and progress ---

    [Fact]
    public async Task GZIP_input_is_decompressed()
    {
        _folder.Write("part-1.json.gz", Gzip("""{"Item":{"pk":{"S":"g1"}}}""" + "\n" + """{"Item":{"pk":{"S":"g2"}}}""" + "\n"));

        var records = await Read(Json with { Compression = ImportCompression.Gzip });

        Assert.Equal(["g1", "g2"], records.Items().Select(i => i["pk"].S));
    }

    [Fact]
    public async Task ZSTD_input_is_decompressed()
    {
        _folder.Write("part-1.csv.zst", Zstd("pk,v\nz1,one\nz2,two\n"));

        var records = await Read(Csv with { Compression = ImportCompression.Zstd });

        Assert.Equal(["z1", "z2"], records.Items().Select(i => i["pk"].S));
        Assert.Equal(["one", "two"], records.Items().Select(i => i["v"].S));
    }

    [Fact]
    public async Task A_corrupt_compressed_object_is_one_error_and_the_next_object_is_read()
    {
        var good = Gzip("""{"Item":{"pk":{"S":"fine"}}}""" + "\n");
        var corrupt = good.ToArray();
        corrupt[12] ^= 0xFF;
        corrupt[13] ^= 0xFF;
        _folder.Write("a.json.gz", corrupt);
        _folder.Write("b.json.gz", good);

        var records = await Read(Json with { Compression = ImportCompression.Gzip });

        Assert.Equal("a.json.gz", Assert.Single(records.Errors()).File);
        Assert.Equal(["fine"], records.Items().Select(i => i["pk"].S));
    }

    [Fact]
    public async Task Files_are_read_below_the_folder_in_S3_key_order_skipping_export_bookkeeping()
    {
        _folder.Write("b.json", """{"Item":{"pk":{"S":"b"}}}""");
        _folder.Write("a/x.json", """{"Item":{"pk":{"S":"a/x"}}}""");
        _folder.Write("a.json", """{"Item":{"pk":{"S":"a"}}}""");
        _folder.Write("a/deeper/y.json", """{"Item":{"pk":{"S":"a/deeper/y"}}}""");
        _folder.Write("AWSDynamoDB/01/manifest-summary.json", """{"version":"2020-06-30"}""");
        _folder.Write("AWSDynamoDB/01/manifest-files.json", """{"itemCount":1}""");
        _folder.Write("AWSDynamoDB/01/manifest-files.checksum", "00");
        _folder.Write("AWSDynamoDB/01/_started", "");

        var records = await Read(Json);

        Assert.Empty(records.Errors());
        // '.' sorts before '/', as in S3's listing.
        Assert.Equal(["a", "a/deeper/y", "a/x", "b"], records.Items().Select(i => i["pk"].S));
    }

    [Fact]
    public async Task A_path_that_is_one_file_reads_that_file_and_a_missing_path_reads_nothing()
    {
        var file = _folder.Write("import-test.csv", "pk\none\n");
        _folder.Write("other.csv", "pk\ntwo\n");

        Assert.Equal(["one"], (await ReadAllAsync(file, Csv)).Items().Select(i => i["pk"].S));
        Assert.Empty(await ReadAllAsync(Path.Combine(_folder.Path, "no-such-prefix"), Csv));
    }

    [Fact]
    public async Task Progress_grows_to_the_size_of_all_input_objects()
    {
        var lines = string.Join("\n", Enumerable.Range(0, 3000).Select(i => "{\"Item\":{\"pk\":{\"S\":\"k" + i + "\"},\"pad\":{\"S\":\"" + new string('p', 40) + "\"}}}"));
        var first = _folder.Write("1.json", lines);
        var second = _folder.Write("2.json", """{"Item":{"pk":{"S":"end"}}}""");
        var total = new FileInfo(first).Length + new FileInfo(second).Length;

        var records = await Read(Json);

        Assert.Equal(3001, records.Count);
        Assert.All(records, r => Assert.Equal(total, r.TotalBytes));
        Assert.True(records.Zip(records.Skip(1)).All(p => p.First.BytesRead <= p.Second.BytesRead));
        Assert.True(records[0].BytesRead < new FileInfo(first).Length, "progress is reported while the first file is read");
        Assert.Equal(total, records[^1].BytesRead);
    }
}
