using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Certitude.Hosting;

/// <summary>The one place where exceptions become RFC 9457 problem documents, each with a stable type.</summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public const string TypeBase = "https://certitude.dev/problems/";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, type, title, detail, errors) = exception switch
        {
            DomainValidationException e => (400, "validation", "The request is not valid.", e.Message,
                new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            NotFoundException e => (404, "not-found", "Not found.", e.Message, null),
            ConflictException e => (409, "conflict", "Conflict with the current state.", e.Message, null),
            ForbiddenException e => (403, "forbidden", "Not allowed.", e.Message, null),
            UnauthorizedAccessException => (401, "unauthorized", "Authentication required.", null, null),
            BadHttpRequestException { StatusCode: 413 } => (413, "payload-too-large", "The request body is too large.",
                "The upload exceeds the server's size limit.", null),
            BadHttpRequestException e => (e.StatusCode, "bad-request", "The request could not be read.", e.Message, null),
            InvalidDataException e => (400, "bad-request", "The request could not be read.", e.Message, null),
            _ => (500, "internal", "An unexpected error occurred.", null as string, null as Dictionary<string, string[]>),
        };
        if (status == 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var problem = errors is null ? new ProblemDetails() : new ValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = TypeBase + type;
        problem.Title = title;
        problem.Detail = detail;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
