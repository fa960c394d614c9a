using System.Text.Json;
using Certitude.Cli;

namespace Certitude.Features.Discovery.Cli;

/// <summary>
/// Streams scan rows to stdout as one JSON array, each row flushed as it arrives so that a reader sees endpoints while
/// a long scan runs; disposing closes the array.
/// </summary>
internal sealed class JsonRowWriter : IAsyncDisposable
{
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Utf8JsonWriter _writer;

    public JsonRowWriter()
    {
        _writer = new Utf8JsonWriter(_stdout, new JsonWriterOptions { Indented = true });
        _writer.WriteStartArray();
    }

    public async Task WriteAsync(ScanRow row, CancellationToken cancellationToken)
    {
        JsonSerializer.Serialize(_writer, row, Output.Json);
        await _writer.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _writer.WriteEndArray();
        await _writer.FlushAsync();
        await _stdout.WriteAsync("\n"u8.ToArray());
        await _writer.DisposeAsync();
        await _stdout.DisposeAsync();
    }
}
