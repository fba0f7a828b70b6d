namespace Organizer.Application.Common.Security;

/// <summary>Settings under <c>Organizer:Moderation</c>.</summary>
public sealed class ModerationOptions
{
    public const string Section = "Organizer:Moderation";

    /// <summary>Lets people without a token propose events; they stay pending until the admin approves them.</summary>
    public bool AllowAnonymousSubmissions { get; set; }
}
