namespace OneThing.Hub.Domain.Calendar;

/// <summary>
/// Counts working days under the State Council holiday schedule: weekdays, minus public holidays,
/// plus make-up working days (调休). Knows only the years it was given; any other year is an error,
/// never a guess.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly Dictionary<int, CalendarYear> _years;

    /// <summary>Creates a calendar from per-year data.</summary>
    public WorkingDayCalendar(IEnumerable<CalendarYear> years)
    {
        _years = new Dictionary<int, CalendarYear>();
        foreach (var year in years)
        {
            if (!_years.TryAdd(year.Year, year))
            {
                throw new ArgumentException($"the calendar has year {year.Year} twice", nameof(years));
            }
        }
    }

    /// <summary>The years this calendar covers, ascending.</summary>
    public IReadOnlyList<int> CoveredYears => _years.Keys.Order().ToList();

    /// <summary>Whether <paramref name="date"/> is a working day.</summary>
    /// <exception cref="CalendarNotCoveredException">The date's year is not covered.</exception>
    public bool IsWorkingDay(DateOnly date)
    {
        if (!_years.TryGetValue(date.Year, out var year))
        {
            throw new CalendarNotCoveredException(date, CoveredYears);
        }

        if (year.MakeUpWorkingDays.Contains(date))
        {
            return true;
        }

        if (year.Holidays.Contains(date))
        {
            return false;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// Returns the day by which something started on <paramref name="start"/> with a limit of
    /// <paramref name="workingDays"/> must be done: the Nth working day after the start day (the start
    /// day itself does not count, as acceptance day is day 0). With 0, the start day itself.
    /// </summary>
    /// <exception cref="CalendarNotCoveredException">The count runs into a year that is not covered.</exception>
    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var date = start;
        var left = workingDays;
        while (left > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                left--;
            }
        }

        return date;
    }

    /// <summary>Like <see cref="AddWorkingDays"/>, but returns false instead of throwing when the
    /// count runs into a year the data does not cover.</summary>
    public bool TryAddWorkingDays(DateOnly start, int workingDays, out DateOnly due)
    {
        try
        {
            due = AddWorkingDays(start, workingDays);
            return true;
        }
        catch (CalendarNotCoveredException)
        {
            due = default;
            return false;
        }
    }

    /// <summary>Counts the working days after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>One year of the official schedule.</summary>
/// <param name="Year">The year.</param>
/// <param name="Holidays">Days off that would otherwise be working days (and the weekend days of holiday blocks).</param>
/// <param name="MakeUpWorkingDays">Weekend days that are working days (调休上班).</param>
/// <param name="Source">The notice the data comes from.</param>
public sealed record CalendarYear(int Year, IReadOnlySet<DateOnly> Holidays, IReadOnlySet<DateOnly> MakeUpWorkingDays, string Source);

/// <summary>A date outside the years the calendar data covers: an operator must add the year's data.</summary>
public sealed class CalendarNotCoveredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CalendarNotCoveredException(DateOnly date, IReadOnlyList<int> coveredYears)
        : base($"The working-day calendar has no data for {date:yyyy-MM-dd}; it covers {string.Join(", ", coveredYears)}. Add the year's official schedule to the calendar data.")
    {
        Date = date;
    }

    /// <summary>The date that is not covered.</summary>
    public DateOnly Date { get; }
}
