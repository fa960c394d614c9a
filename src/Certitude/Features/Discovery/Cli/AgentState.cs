using System.Text.Json;
using Certitude.Cli;

namespace Certitude.Features.Discovery.Cli;

/// <summary>
/// What <c>certitude agent</c> keeps between starts: the server, its agent id and zone, and the credential it got at
/// registration (shown once by the server, so losing this file means registering again with a new enrollment token).
/// </summary>
internal sealed record AgentState(string Server, long AgentId, string Zone, string Name, string Credential)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The saved state, or null when the file does not exist.</summary>
    /// <exception cref="CliException">The file exists but cannot be read or is not an agent state.</exception>
    public static AgentState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<AgentState>(File.ReadAllText(path), Json);
            return state is { AgentId: > 0 } && !string.IsNullOrEmpty(state.Server) && !string.IsNullOrEmpty(state.Credential) && !string.IsNullOrEmpty(state.Zone)
                ? state
                : throw new CliException($"{path} is not a certitude agent state file.", ExitCodes.UsageError);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CliException($"Cannot read the agent state {path}: {e.Message}", ExitCodes.UsageError);
        }
    }

    /// <summary>
    /// Writes the state atomically: a new file readable by the owner only (it holds the credential), moved over the old
    /// one, so a crash mid-write never leaves a half-written credential behind.
    /// </summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, this, Json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException($"Cannot write the agent state {full}: {e.Message}", ExitCodes.Unavailable);
        }
    }
}
