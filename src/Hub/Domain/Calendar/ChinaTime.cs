namespace OneThing.Hub.Domain.Calendar;

/// <summary>China Standard Time (UTC+8, no daylight saving): the hub's civil calendar.</summary>
public static class ChinaTime
{
    /// <summary>The offset of China Standard Time.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The civil date in China at the instant <paramref name="instant"/>.</summary>
    public static DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);
}
