namespace Certitude.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
