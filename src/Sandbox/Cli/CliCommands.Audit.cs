using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security.Audit;
using Spectre.Console;

namespace OneThing.Sandbox.Cli;

/// <summary>The audit commands: verify the hash chain of the hub's audit log, straight from its database.</summary>
internal sealed partial class CliCommands
{
    /// <summary>The exit code of <c>audit verify</c> when a link of the chain is broken.</summary>
    internal const int AuditBroken = ExitCodes.AuditBroken;

    private Command AuditCommand()
    {
        var audit = new Command("audit", "The hub's tamper-evident audit log.");
        audit.Subcommands.Add(AuditVerifyCommand());
        return audit;
    }

    private Command AuditVerifyCommand()
    {
        var database = new Option<string>("--database")
        {
            Description = "The hub's database: a SQLite file, or a connection string (default data/onething.db, the sandbox's).",
            HelpName = "file or connection string",
            DefaultValueFactory = _ => "data/onething.db",
        };
        var provider = new Option<string>("--provider") { Description = "The database provider.", DefaultValueFactory = _ => "sqlite" };
        provider.AcceptOnlyFromAmong("sqlite", "postgres", "sqlserver");
        var command = new Command("verify", $"Walks the audit chain from its first entry and names the first broken link (exit 0 when every link holds, {AuditBroken} when one is broken, 4 when the database cannot be read). Reads only; needs no keys.")
        {
            database, provider,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(database)!;
            var kind = parse.GetValue(provider)!;
            HubDbContext db;
            try
            {
                db = OpenAuditDatabase(kind, target);
            }
            catch (CliException e)
            {
                console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return e.ExitCode;
            }

            await using (db)
            {
                AuditVerification result;
                var started = TimeProvider.System.GetTimestamp();
                try
                {
                    result = await AuditVerifier.VerifyAsync(db, cancellationToken);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
                {
                    console.MarkupLine($"[red]Cannot read the audit log: {Markup.Escape(e.Message)}[/]");
                    return ExitCodes.Unreachable;
                }

                var took = TimeProvider.System.GetElapsedTime(started);
                if (result.FirstBroken is { } broken)
                {
                    console.MarkupLine($"[red]Audit chain BROKEN at sequence {broken}[/] ({result.Verified} entries before it hold).");
                    return AuditBroken;
                }

                console.MarkupLine($"[green]Audit chain intact[/]: {result.Verified} entries verified, last sequence {result.LastSequence}, head hash {Markup.Escape(result.LastHash)} ({took.TotalMilliseconds:0} ms).");
                if (result.Unchained > 0)
                {
                    console.MarkupLine($"{result.Unchained} newer row(s) are not chained yet (the running hub links them within seconds).");
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>
    /// A context on the hub's database for reading the audit log only: the model is built without the
    /// personal-data keys, which the audit never needs (its rows carry no clear personal data).
    /// </summary>
    internal static HubDbContext OpenAuditDatabase(string provider, string target)
    {
        switch (provider)
        {
            case "sqlite":
                var connection = target.Contains('=', StringComparison.Ordinal) ? target : $"Data Source={target}";
                var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection) { Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite };
                if (!File.Exists(file.DataSource))
                {
                    throw new CliException(ExitCodes.Unreachable, $"There is no SQLite database at {Path.GetFullPath(file.DataSource)}.");
                }

                var sqlite = new DbContextOptionsBuilder<SqliteHubDbContext>();
                SqliteHubDbContext.Configure(sqlite, file.ToString());
                return new SqliteHubDbContext(sqlite.UsePersonalDataModelOnly().Options);
            case "postgres":
                var postgres = new DbContextOptionsBuilder<PostgresHubDbContext>();
                PostgresHubDbContext.Configure(postgres, target);
                return new PostgresHubDbContext(postgres.UsePersonalDataModelOnly().Options);
            default:
                var sqlServer = new DbContextOptionsBuilder<SqlServerHubDbContext>();
                SqlServerHubDbContext.Configure(sqlServer, target);
                return new SqlServerHubDbContext(sqlServer.UsePersonalDataModelOnly().Options);
        }
    }
}
