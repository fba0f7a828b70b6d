using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Organizer.Api.Http;

/// <summary>
/// Names query parameters in the OpenAPI document as clients write them, in camelCase like every JSON property: the
/// <c>[AsParameters]</c> records of Application name them after their C# properties ("From"). Binding ignores case.
/// </summary>
public sealed class QueryParameterNames : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter is { In: ParameterLocation.Query, Name: { } name })
            {
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
            }
        }

        return Task.CompletedTask;
    }
}
