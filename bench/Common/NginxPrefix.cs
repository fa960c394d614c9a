namespace Certitude.Bench;

/// <summary>
/// The folder a benchmark's own nginx runs in (<c>nginx -p</c>): Debian's nginx otherwise writes request bodies and
/// proxy buffers under /var/lib/nginx, which an unprivileged or namespaced run may not own.
/// </summary>
internal static class NginxPrefix
{
    /// <summary>Each directive's name and its folder under tmp/.</summary>
    private static readonly (string Directive, string Folder)[] Temps =
        [("client_body_temp_path", "body"), ("proxy_temp_path", "proxy"), ("fastcgi_temp_path", "fastcgi"), ("uwsgi_temp_path", "uwsgi"), ("scgi_temp_path", "scgi")];

    /// <summary>Creates <c>DIRECTORY/tmp</c> for the temp paths below.</summary>
    public static void Prepare(string directory) => Directory.CreateDirectory(Path.Combine(directory, "tmp"));

    /// <summary>The http block's temp-path directives, all under <c>DIRECTORY/tmp</c>.</summary>
    public static string TempPaths(string directory) =>
        string.Join('\n', Temps.Select(t => $"{t.Directive} {directory}/tmp/{t.Folder};"));
}
