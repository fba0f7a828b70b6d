using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Organizer.Api.Infrastructure;

/// <summary>
/// Write bodies are small (an event is a few kilobytes): anything over 64 KB is refused with 413 before it is read.
/// Kestrel enforces the limit on streamed bodies too; a declared Content-Length is checked up front.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next)
{
    public const long MaxBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problemDetails)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The request body is too large.",
                    Detail = $"Request bodies are limited to {MaxBytes / 1024} KB.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        await next(context);
    }
}
