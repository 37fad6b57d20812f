using Google.Protobuf.WellKnownTypes;

namespace OneThing.WebConsole.Internal;

/// <summary>Times as a clerk in China reads them.</summary>
public static class ChinaTime
{
    /// <summary>China Standard Time (no daylight saving).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>A timestamp as yyyy-MM-dd HH:mm:ss in China time; empty when unset.</summary>
    public static string Format(Timestamp? time) =>
        time is null ? string.Empty : time.ToDateTimeOffset().ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
