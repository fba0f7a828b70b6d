using FluentValidation.Results;

namespace Organizer.Application.Common.Exceptions;

/// <summary>Input failed validation; <see cref="Errors"/> maps each field (or query parameter) to its messages.</summary>
public sealed class ValidationException : Exception
{
    public ValidationException(IEnumerable<ValidationFailure> failures)
        : base("One or more validation failures have occurred.")
    {
        Errors = failures
            .GroupBy(f => FieldPath(f.PropertyName), f => f.ErrorMessage)
            .ToDictionary(g => g.Key, g => g.Distinct().ToArray());
    }

    public ValidationException(string field, string message)
        : this([new ValidationFailure(field, message)])
    {
    }

    public IDictionary<string, string[]> Errors { get; }

    /// <summary>
    /// Names errors as the client sent the fields: commands wrap the request body in <c>Input</c>, and C# names
    /// are PascalCase, so "Input.Organizations[0].Slug" becomes "organizations[0].slug".
    /// </summary>
    public static string FieldPath(string propertyPath)
    {
        var path = propertyPath.StartsWith("Input.", StringComparison.Ordinal) ? propertyPath["Input.".Length..] : propertyPath;
        return string.Join('.', path.Split('.').Select(segment => segment.Length > 0 && char.IsUpper(segment[0])
            ? char.ToLowerInvariant(segment[0]) + segment[1..]
            : segment));
    }
}
