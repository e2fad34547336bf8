// Drives the AWS SDK for JavaScript's DynamoDB Streams client for the .NET tests: one JSON request per line on
// stdin ({"op": "GetRecords", "input": {...}}), one JSON answer per line on stdout, in order:
// {"ok": true, "output": {...}} or {"ok": false, "name": "<error type>", "message": "..."}.
import * as readline from "node:readline";
import {
  DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand,
} from "@aws-sdk/client-dynamodb-streams";

const client = new DynamoDBStreamsClient({
  endpoint: process.argv[2],
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});
const commands = {
  ListStreams: ListStreamsCommand,
  DescribeStream: DescribeStreamCommand,
  GetShardIterator: GetShardIteratorCommand,
  GetRecords: GetRecordsCommand,
};

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    const { op, input } = JSON.parse(line);
    const { $metadata, ...output } = await client.send(new commands[op](input));
    answer = { ok: true, output };
  } catch (error) {
    answer = { ok: false, name: error.name, message: error.message };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
