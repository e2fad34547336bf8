using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Operations;
using OrleansDynamo.Streams;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>The DynamoDB Streams operations: streams and their tables from the table grains, shards and records from the stream reader.</summary>
public sealed partial class DynamoDbClient
{
    public async Task<ListStreamsResponse> ListStreamsAsync(ListStreamsRequest request, CancellationToken cancellationToken = default)
    {
        ListStreamsValidator.Validate(request);
        var limit = request.Limit ?? ListStreamsValidator.MaxLimit;
        IEnumerable<string> tables = request.TableName is { } name ? [name] : await AllTablesAsync();
        var streams = new List<StreamSummary>();
        foreach (var table in tables)
        {
            try
            {
                streams.AddRange(await Table(table).ListStreams());
            }
            catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound && request.TableName is null)
            {
                // Dropped while listing.
            }
        }
        var after = request.ExclusiveStartStreamArn is { } start ? streams.FindIndex(s => s.StreamArn == start) + 1 : 0;
        var page = streams.Skip(after).Take(limit).ToList();
        return new ListStreamsResponse
        {
            Streams = page,
            LastEvaluatedStreamArn = streams.Count - after > limit ? page[^1].StreamArn : null,
        };
    }

    public async Task<DescribeStreamResponse> DescribeStreamAsync(DescribeStreamRequest request, CancellationToken cancellationToken = default)
    {
        var stream = await FindStreamAsync(DescribeStreamValidator.Validate(request), request.StreamArn!);
        return new DescribeStreamResponse
        {
            StreamDescription = await StreamReader.Describe(stream, request.Limit ?? DescribeStreamValidator.MaxLimit, request.ExclusiveStartShardId),
        };
    }

    public async Task<GetShardIteratorResponse> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default)
    {
        var stream = await FindStreamAsync(GetShardIteratorValidator.Validate(request), request.StreamArn!);
        return new GetShardIteratorResponse { ShardIterator = await StreamReader.GetShardIterator(stream, request) };
    }

    public async Task<GetRecordsResponse> GetRecordsAsync(GetRecordsRequest request, CancellationToken cancellationToken = default)
    {
        GetRecordsValidator.Validate(request);
        return await StreamReader.GetRecords(request.ShardIterator!, request.Limit ?? GetRecordsValidator.MaxLimit);
    }

    private IStreamReaderGrain StreamReader => grains.GetGrain<IStreamReaderGrain>(0);

    private async Task<TableStream> FindStreamAsync((string TableName, string Label) name, string streamArn)
    {
        TableStream? stream = null;
        try
        {
            stream = await Table(name.TableName).GetStream(name.Label);
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
        }
        return stream is not null && StreamNames.StreamArn(stream.TableArn, stream.Label) == streamArn ? stream : throw DynamoErrors.StreamNotFound(streamArn);
    }

    private async Task<IReadOnlyList<string>> AllTablesAsync()
    {
        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await grains.GetGrain<ICatalogGrain>(0).List(start, ListTablesValidator.MaxLimit);
            names.AddRange(page.TableNames);
            start = page.LastEvaluatedTableName;
        } while (start is not null);
        return names;
    }
}
