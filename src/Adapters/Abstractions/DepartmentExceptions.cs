namespace OneThing.Adapters;

/// <summary>
/// The department could not be reached or failed technically, and the adapter's own retries did
/// not help. The hub reschedules the item; nothing was decided.
/// </summary>
public sealed class DepartmentUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DepartmentUnavailableException(Department department, string message, Exception? innerException = null)
        : base(message, innerException) => Department = department;

    /// <summary>The department that failed.</summary>
    public Department Department { get; }
}

/// <summary>
/// The department answered something the adapter cannot map (an unknown code, a malformed body).
/// The hub records it and retries later; repeated, it lands in the operators' queue.
/// </summary>
public sealed class DepartmentProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DepartmentProtocolException(Department department, string message, Exception? innerException = null)
        : base(message, innerException) => Department = department;

    /// <summary>The department whose answer made no sense.</summary>
    public Department Department { get; }
}
