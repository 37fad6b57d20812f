namespace OneThing.Adapters;

/// <summary>
/// What a department already holds about a person, looked up so the citizen need not type or upload it
/// (数据共享免提交): e.g. the business licence the market regulation registry has on record, or the
/// photo receipt the social security card system keeps.
/// </summary>
/// <remarks>
/// A technical failure that survived the adapter's resilience pipeline is thrown as
/// <see cref="DepartmentUnavailableException"/>; "nothing on record" is an answer
/// (<see cref="SharedData.Found"/> false), not an error.
/// </remarks>
public interface ISharedDataSource
{
    /// <summary>The department that holds the data.</summary>
    Department Department { get; }

    /// <summary>The kinds of record it can look up, e.g. <c>business-licence</c>.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>Looks up one kind of record about a person.</summary>
    Task<SharedData> LookupAsync(SharedDataQuery query, CancellationToken cancellationToken);
}

/// <summary>A look-up of one kind of record about a person.</summary>
/// <param name="Kind">The kind, e.g. <c>business-licence</c>.</param>
/// <param name="IdNumber">The person's resident ID number.</param>
/// <param name="Name">The person's name, if known.</param>
/// <param name="CorrelationId">Ties the look-up to the hub's traces.</param>
public sealed record SharedDataQuery(string Kind, string IdNumber, string? Name, string CorrelationId);

/// <summary>What the department holds.</summary>
/// <param name="Found">Whether it holds such a record.</param>
/// <param name="Values">The record's values by stable key (e.g. <c>uscc</c>, <c>entity_name</c>, <c>registration_date</c>).</param>
/// <param name="Reference">The department's reference for the record, if any (e.g. the USCC).</param>
public sealed record SharedData(bool Found, IReadOnlyDictionary<string, string> Values, string? Reference)
{
    /// <summary>Nothing on record.</summary>
    public static SharedData NotFound { get; } = new(false, new Dictionary<string, string>(), null);
}
