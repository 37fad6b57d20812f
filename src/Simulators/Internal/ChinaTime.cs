using System.Globalization;

namespace OneThing.Simulators.Internal;

/// <summary>China Standard Time (UTC+8, no daylight saving): what "today" and timestamps mean to the departments.</summary>
internal static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset Now(TimeProvider timeProvider) => timeProvider.GetUtcNow().ToOffset(Offset);

    public static DateOnly Today(TimeProvider timeProvider) => DateOnly.FromDateTime(Now(timeProvider).DateTime);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>ISO-8601 with the +08:00 offset, to the second.</summary>
    public static string Iso(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>yyyyMMdd of the China date, as case numbers carry it.</summary>
    public static string Compact(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
