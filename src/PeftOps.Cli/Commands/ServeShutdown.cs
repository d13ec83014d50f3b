using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PeftOps.Cli.Commands;

/// <summary>
/// How <c>peftops serve</c> stops: on the command's cancellation token (<see cref="TerminationSignals"/>), not on
/// the host's own SIGINT/SIGTERM handlers, so one owner answers every signal the same way. Requests in flight get
/// <see cref="InFlight"/> to finish; then Kestrel aborts them (their <c>RequestAborted</c> stops a generation) and
/// the command exits 130 within the 10 s the contract promises.
/// </summary>
internal static class ServeShutdown
{
    public static readonly TimeSpan InFlight = TimeSpan.FromSeconds(5);

    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = InFlight);
    }

    /// <summary>A lifetime that listens to no signal: the command's token stops the host (<c>WaitForShutdownAsync</c>).</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
