namespace Certitude.Cli;

internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}
