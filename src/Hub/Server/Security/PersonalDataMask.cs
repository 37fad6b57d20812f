namespace OneThing.Hub.Security;

/// <summary>Masks personal data for logs, traces and responses that do not need it (GB/T 35273 style).</summary>
public static class PersonalDataMask
{
    /// <summary>An identity number: the first 3 and last 4 characters stay (4103***********1231 → 410***********1231).</summary>
    public static string IdNumber(string? value) => Keep(value, 3, 4);

    /// <summary>A mobile number: 138****0000.</summary>
    public static string Mobile(string? value) => Keep(value, 3, 4);

    /// <summary>A bank account: only the last 4 digits stay.</summary>
    public static string Account(string? value) => Keep(value, 0, 4);

    /// <summary>A name: the first character stays (张*, 欧**).</summary>
    public static string Name(string? value) => Keep(value, 1, 0);

    /// <summary>An address: the first 6 characters stay (the district, roughly).</summary>
    public static string Address(string? value) => Keep(value, 6, 0);

    private static string Keep(string? value, int head, int tail)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value.Length <= head + tail)
        {
            return new string('*', value.Length);
        }

        return string.Concat(value.AsSpan(0, head), new string('*', value.Length - head - tail), value.AsSpan(value.Length - tail));
    }
}
