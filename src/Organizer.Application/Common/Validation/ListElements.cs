using FluentValidation;
using FluentValidation.Validators;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Common.Validation;

public static class ListElements
{
    /// <summary>
    /// A null inside a list is refused by name (<c>speakers[1]</c>): FluentValidation's child rules skip nulls, and the
    /// handler would then dereference one.
    /// </summary>
    public static IRuleBuilderOptions<T, TElement?> IsNotNullElement<T, TElement>(this IRuleBuilder<T, TElement?> rule) =>
        rule.SetValidator(new NotNullElementValidator<T, TElement?>());

    private sealed class NotNullElementValidator<T, TElement> : PropertyValidator<T, TElement>
    {
        public override string Name => "NotNullElementValidator";

        public override bool IsValid(ValidationContext<T> context, TElement value)
        {
            if (value is not null)
            {
                return true;
            }

            context.MessageFormatter.AppendArgument("Field", ValidationException.FieldPath(context.PropertyPath));
            return false;
        }

        protected override string GetDefaultMessageTemplate(string errorCode) => "'{Field}' must not be null; leave it out of the list instead.";
    }
}
