using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Calendar;

namespace OneThing.Tests.Domain;

/// <summary>The working-day calendar against the State Council schedules for 2025 and 2026.</summary>
public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Calendar = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog")).Calendar;

    [Theory]
    [InlineData("2025-01-01", false)] // 元旦
    [InlineData("2025-01-26", true)]  // Sunday, make-up working day for 春节
    [InlineData("2025-02-04", false)] // 春节
    [InlineData("2025-02-08", true)]  // Saturday, make-up working day
    [InlineData("2025-10-08", false)] // 国庆中秋
    [InlineData("2025-10-11", true)]  // Saturday, make-up working day
    [InlineData("2026-01-04", true)]  // Sunday, make-up working day
    [InlineData("2026-02-16", false)] // 春节
    [InlineData("2026-02-28", true)]  // Saturday, make-up working day
    [InlineData("2026-06-19", false)] // 端午
    [InlineData("2026-09-25", false)] // 中秋
    [InlineData("2026-10-07", false)] // 国庆
    [InlineData("2026-10-10", true)]  // Saturday, make-up working day
    [InlineData("2026-11-21", false)] // an ordinary Saturday
    [InlineData("2026-11-23", true)]  // an ordinary Monday
    public void IsWorkingDay_OfficialSchedule(string date, bool expected) =>
        Assert.Equal(expected, Calendar.IsWorkingDay(DateOnly.Parse(date)));

    [Theory]
    [InlineData("2026-09-24", 1, "2026-09-28")]  // over 中秋 (Sep 25–27)
    [InlineData("2026-09-18", 2, "2026-09-21")]  // Sep 20 (Sunday) is a make-up working day
    [InlineData("2026-09-30", 1, "2026-10-08")]  // over 国庆 (Oct 1–7)
    [InlineData("2026-09-30", 2, "2026-10-09")]
    [InlineData("2026-09-30", 3, "2026-10-10")]  // Oct 10 (Saturday) is a make-up working day
    [InlineData("2026-02-13", 1, "2026-02-14")]  // Feb 14 (Saturday) is a make-up working day
    [InlineData("2026-02-14", 1, "2026-02-24")]  // over 春节 (Feb 15–23)
    [InlineData("2026-11-23", 10, "2026-12-07")] // Luoyang's 10 working days
    [InlineData("2026-11-23", 0, "2026-11-23")]  // at once
    public void AddWorkingDays_CountsHolidaysAndMakeUpDays(string start, int days, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), Calendar.AddWorkingDays(DateOnly.Parse(start), days));

    [Fact]
    public void AddWorkingDays_PastTheCoveredYears_ThrowsInsteadOfGuessing()
    {
        var e = Assert.Throws<CalendarNotCoveredException>(() => Calendar.AddWorkingDays(new DateOnly(2026, 12, 24), 10));
        Assert.Equal(2027, e.Date.Year);
        Assert.False(Calendar.TryAddWorkingDays(new DateOnly(2026, 12, 24), 10, out _));
        Assert.Throws<CalendarNotCoveredException>(() => Calendar.IsWorkingDay(new DateOnly(2024, 12, 31)));
    }
}
