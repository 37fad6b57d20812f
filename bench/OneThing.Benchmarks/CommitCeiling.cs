using Microsoft.Data.Sqlite;
using Npgsql;

namespace OneThing.Benchmarks;

/// <summary>
/// The database's durable commit rate for a transaction shaped like a submission: one application row
/// (with a JSON document the size of a Luoyang application) and five task rows, in one transaction.
/// Raw ADO.NET with prepared statements, so this is the database's ceiling, not an ORM's.
/// </summary>
public static class CommitCeiling
{
    private const string Schema = """
        CREATE TABLE bench_applications (id TEXT PRIMARY KEY, request_id TEXT NOT NULL UNIQUE, theme TEXT NOT NULL,
            state TEXT NOT NULL, content TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE TABLE bench_tasks (id {0} PRIMARY KEY, application_id TEXT NOT NULL, item_code TEXT NOT NULL,
            state TEXT NOT NULL, due_at BIGINT NOT NULL, attempts INT NOT NULL);
        CREATE INDEX bench_tasks_due ON bench_tasks (state, due_at);
        """;

    private const string InsertApplication =
        "INSERT INTO bench_applications (id, request_id, theme, state, content, created_at) VALUES (@id, @rid, 'luoyang.personal-startup', 'InProgress', @content, @now)";

    private const string InsertTask =
        "INSERT INTO bench_tasks (application_id, item_code, state, due_at, attempts) VALUES (@id, @item, 'Scheduled', @now, 0)";

    private static readonly string[] Items = ["market.licence-verification", "tax.taxpayer-confirmation", "hr.employment-certificate", "si.flexible-pension-registration", "sscard.card-application"];

    /// <summary>
    /// SQLite in WAL mode with synchronous=FULL on a file. SQLite has one writer at a time, so the
    /// callers queue on an in-process lock (fair, no busy-handler sleeps): the best one-transaction-
    /// per-submission rate the file can give.
    /// </summary>
    public static async Task<LoopResult> SqliteAsync(string directory, int clients, int contentBytes, TimeSpan warmUp, TimeSpan window)
    {
        var file = Path.Combine(directory, $"commit-{clients}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString;
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync().ConfigureAwait(false);
            await Execute(setup, "PRAGMA journal_mode=WAL;").ConfigureAwait(false);
            await Execute(setup, string.Format(System.Globalization.CultureInfo.InvariantCulture, Schema, "INTEGER")).ConfigureAwait(false);
        }

        var content = new string('x', contentBytes);
        var writer = new SemaphoreSlim(1, 1);
        var connections = new SqliteConnection[clients];
        for (var i = 0; i < clients; i++)
        {
            connections[i] = new SqliteConnection(connectionString);
            await connections[i].OpenAsync().ConfigureAwait(false);
            await Execute(connections[i], "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;").ConfigureAwait(false);
        }

        try
        {
            return await ClosedLoop.RunAsync(clients, warmUp, window, async (client, n, ct) =>
            {
                var connection = connections[client];
                await writer.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                    await using var app = connection.CreateCommand();
                    app.Transaction = tx;
                    app.CommandText = InsertApplication.Replace('@', '$');
                    var id = Guid.NewGuid().ToString("N");
                    app.Parameters.AddWithValue("$id", id);
                    app.Parameters.AddWithValue("$rid", "r" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    app.Parameters.AddWithValue("$content", content);
                    app.Parameters.AddWithValue("$now", n);
                    await app.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    await using var task = connection.CreateCommand();
                    task.Transaction = tx;
                    task.CommandText = InsertTask.Replace('@', '$');
                    var item = task.Parameters.Add("$item", SqliteType.Text);
                    task.Parameters.AddWithValue("$id", id);
                    task.Parameters.AddWithValue("$now", n);
                    foreach (var code in Items)
                    {
                        item.Value = code;
                        await task.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }

                    await tx.CommitAsync(ct).ConfigureAwait(false);
                }
                finally
                {
                    writer.Release();
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// PostgreSQL with the server's own durability settings: one connection per caller, the six inserts
    /// sent as one batch (one round trip), then COMMIT.
    /// </summary>
    public static async Task<LoopResult> PostgresAsync(string connectionString, int clients, int contentBytes, TimeSpan warmUp, TimeSpan window)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Schema, "BIGSERIAL"), setup);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var content = new string('x', contentBytes);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = Math.Max(100, clients + 10) };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        var connections = new NpgsqlConnection[clients];
        for (var i = 0; i < clients; i++)
        {
            connections[i] = await source.OpenConnectionAsync().ConfigureAwait(false);
        }

        try
        {
            return await ClosedLoop.RunAsync(clients, warmUp, window, async (client, n, ct) =>
            {
                var connection = connections[client];
                await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection, tx);
                var id = Guid.NewGuid().ToString("N");
                var app = new NpgsqlBatchCommand(InsertApplication);
                app.Parameters.AddWithValue("id", id);
                app.Parameters.AddWithValue("rid", "r" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                app.Parameters.AddWithValue("content", content);
                app.Parameters.AddWithValue("now", n);
                batch.BatchCommands.Add(app);
                foreach (var code in Items)
                {
                    var task = new NpgsqlBatchCommand(InsertTask);
                    task.Parameters.AddWithValue("id", id);
                    task.Parameters.AddWithValue("item", code);
                    task.Parameters.AddWithValue("now", n);
                    batch.BatchCommands.Add(task);
                }

                await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
