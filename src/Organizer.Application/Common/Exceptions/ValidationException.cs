using FluentValidation.Results;

namespace Organizer.Application.Common.Exceptions;

/// <summary>Input failed validation; <see cref="Errors"/> maps each field (or query parameter) to its messages.</summary>
public sealed class ValidationException : Exception
{
    public ValidationException(IEnumerable<ValidationFailure> failures)
        : base("One or more validation failures have occurred.")
    {
        Errors = failures
            .GroupBy(f => f.PropertyName, f => f.ErrorMessage)
            .ToDictionary(g => g.Key, g => g.Distinct().ToArray());
    }

    public ValidationException(string field, string message)
        : this([new ValidationFailure(field, message)])
    {
    }

    public IDictionary<string, string[]> Errors { get; }
}
