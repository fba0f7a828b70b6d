using System.Linq.Expressions;
using FluentValidation;

namespace Organizer.Application.Common.Validation;

/// <summary>
/// Validates the query-string parameters a query carries beside what the server adds (its base URL, the caller) with
/// the parameters' own validator. The rule has no name of its own, so each failure keeps its parameter's name
/// ("limit", not "Parameters.limit"), as the client wrote it.
/// </summary>
public abstract class QueryStringValidator<TQuery, TParameters> : AbstractValidator<TQuery>
{
    protected QueryStringValidator(Expression<Func<TQuery, TParameters>> parameters, IValidator<TParameters> validator) =>
        RuleFor(parameters).SetValidator(validator).OverridePropertyName(string.Empty);
}
