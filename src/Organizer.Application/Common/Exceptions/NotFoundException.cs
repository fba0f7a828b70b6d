namespace Organizer.Application.Common.Exceptions;

public sealed class NotFoundException(string resource, string key)
    : Exception($"No {resource} '{key}' was found.")
{
    public string Resource { get; } = resource;
    public string Key { get; } = key;
}
