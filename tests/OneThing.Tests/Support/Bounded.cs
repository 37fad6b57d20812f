namespace OneThing.Tests.Support;

/// <summary>Every await in a test is bounded: a hang fails the test instead of the run.</summary>
public static class Bounded
{
    /// <summary>The default bound for one await in an integration test.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>Awaits with a bound.</summary>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan? bound = null) =>
        task.WaitAsync(bound ?? Default, TestContext.Current.CancellationToken);

    /// <summary>Awaits with a bound.</summary>
    public static Task Within(this Task task, TimeSpan? bound = null) =>
        task.WaitAsync(bound ?? Default, TestContext.Current.CancellationToken);

    /// <summary>Awaits with a bound.</summary>
    public static Task<T> Within<T>(this Grpc.Core.AsyncUnaryCall<T> call, TimeSpan? bound = null) =>
        call.ResponseAsync.WaitAsync(bound ?? Default, TestContext.Current.CancellationToken);

    /// <summary>A gRPC deadline matching the default bound.</summary>
    public static DateTime Deadline => DateTime.UtcNow.Add(Default);

    /// <summary>gRPC call options with the default deadline and the test's cancellation.</summary>
    public static Grpc.Core.CallOptions Options => new(deadline: Deadline, cancellationToken: TestContext.Current.CancellationToken);
}
