using System.Text;

namespace OneThing.WebConsole.Internal;

/// <summary>Stable element ids derived from the hub's field paths and resource names, e.g. <c>fields[licence.uscc]</c> → <c>fields-licence-uscc</c>.</summary>
public static class DomIds
{
    /// <summary>The id for a path: lower-case letters and digits, every other run of characters one hyphen.</summary>
    public static string For(string path)
    {
        var id = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(char.ToLowerInvariant(c));
            }
            else if (id.Length > 0 && id[^1] != '-')
            {
                id.Append('-');
            }
        }

        return id.ToString().TrimEnd('-');
    }

    /// <summary>The id of the element that shows a field's errors.</summary>
    public static string ErrorsFor(string path) => For(path) + "-error";
}
