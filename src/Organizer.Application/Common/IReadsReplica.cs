namespace Organizer.Application.Common;

/// <summary>
/// A query whose answer may come from a streaming replica, a moment behind the primary (decision 015): it shows only
/// what anyone may see, and whoever asks has not just written what it shows. Writes, the event a client was just given
/// a Location for, anything asked with a token, and feed renders (which are kept) read from the primary.
/// </summary>
public interface IReadsReplica
{
    bool MayReadReplica => true;
}
