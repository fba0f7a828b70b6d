namespace Organizer.Api.Http;

/// <summary>Paths to mapped endpoints, by endpoint name, for Location headers.</summary>
public static class Locations
{
    public static string PathTo(this HttpContext context, string endpointName, object values) =>
        context.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(context, endpointName, values)
            ?? throw new InvalidOperationException($"No endpoint named '{endpointName}' takes {values}.");
}
