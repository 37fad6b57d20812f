using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace OneThing.Hub.Persistence;

/// <summary>
/// A named section of work that one replica at a time does, held for the current transaction: a
/// PostgreSQL transaction-scoped advisory lock, a SQL Server transaction-owned application lock. Taken
/// without waiting, so a replica that finds it held goes on with other work. A replica that dies
/// releases it with its connection. SQLite needs none: the hub's write transactions there are
/// exclusive already (BEGIN IMMEDIATE), and one file has one hub process.
/// </summary>
public static class ExclusiveSection
{
    /// <summary>Linking audit rows into the hash chain.</summary>
    public const string AuditChain = "onething.audit-chain";

    /// <summary>
    /// Tries to take the section for the transaction open on <paramref name="db"/>; true when this
    /// transaction holds it (or the provider needs no lock).
    /// </summary>
    /// <exception cref="InvalidOperationException">No transaction is open on <paramref name="db"/>.</exception>
    public static async Task<bool> TryEnterAsync(HubDbContext db, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("An exclusive section is held by a transaction; begin one first.");
        string sql;
        switch (db)
        {
            case PostgresHubDbContext:
                // Advisory locks take a 64-bit key; the name's stable hash is that key.
                sql = $"SELECT pg_try_advisory_xact_lock({StableKey(name)})";
                break;
            case SqlServerHubDbContext:
                // sp_getapplock returns 0 (granted) or 1 (granted after waiting); negative when not granted.
                sql = "DECLARE @result int; " +
                      "EXEC @result = sp_getapplock @Resource = @name, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 0; " +
                      "SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END;";
                break;
            default:
                return true;
        }

        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (db is SqlServerHubDbContext)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@name";
            parameter.Value = name;
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteScalarAsync(cancellationToken) switch
        {
            bool held => held,
            int held => held == 1,
            long held => held == 1,
            var other => throw new InvalidOperationException($"The database answered the lock request with '{other}'."),
        };
    }

    /// <summary>A 64-bit key from the name (FNV-1a), the same in every process and .NET version.</summary>
    internal static long StableKey(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
