using PeftOps.Contracts;
using System.CommandLine;

namespace PeftOps.Cli.Commands;

/// <summary>The <c>peftops</c> command tree. Each command lives in its own <c>Commands/*.cs</c> file.</summary>
internal static class PeftOpsCli
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("PeftOps: train, evaluate, gate and release parameter-efficient adapters.");
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>
    /// Parses and runs one command line. Whatever a command throws ends here: the documented exceptions in
    /// <see cref="Guard(Func{Task{int}})"/>, anything else in <see cref="LastResort"/> (exit 70, one line), never as
    /// System.CommandLine's stack trace and exit 1, which means "gate failed".
    /// </summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(CreateRoot(), args);

    /// <inheritdoc cref="RunAsync(string[])"/>
    public static Task<int> RunAsync(RootCommand root, string[] args) => RunAsync(root, args, signals: null);

    /// <summary>
    /// Runs one command line with <paramref name="signals"/> (the process's own, in <c>Program</c>) as the commands'
    /// cancellation token: once a signal came, the command's end, however it ends, is the one cancellation line and
    /// exit 130 (<see cref="TerminationSignals.Report(OperationCanceledException?)"/>).
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TerminationSignals? signals)
    {
        ArgumentNullException.ThrowIfNull(root);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                    await Console.Error.WriteLineAsync($"peftops: {error.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            // the signals are ours (TerminationSignals), not System.CommandLine's
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            var code = await parse.InvokeAsync(invocation, signals?.Token ?? CancellationToken.None).ConfigureAwait(false);
            return signals?.Received is not null ? signals.Report(null) : code;
        }
        catch (OperationCanceledException e) when (signals?.Received is not null)
        {
            return signals.Report(e);
        }
        catch (Exception e)
        {
            return await LastResort.Report(e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a command body: bad input exits 2, "nothing there" 4, an infrastructure failure 5, each with one
    /// message on stderr and no stack trace. A cancellation, also one wrapped in such a failure, goes on up to
    /// <see cref="RunAsync(RootCommand, string[], TerminationSignals?)"/> as itself.
    /// </summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && CancelledBy(e) is { } cancelled)
        {
            // a cancelled store call wrapped as a failure: the cancellation line, not a failure's
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cancelled);
            throw;
        }
        catch (InputException e)
        {
            await Console.Error.WriteLineAsync($"peftops: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (NothingFoundException e)
        {
            await Console.Error.WriteLineAsync($"peftops: {e.Message}").ConfigureAwait(false);
            return ExitCodes.NothingFound;
        }
        catch (InfrastructureException e)
        {
            await Console.Error.WriteLineAsync($"peftops: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Infrastructure;
        }
    }

    /// <summary>
    /// The cancellation inside <paramref name="exception"/>: a store or HTTP call stopped by the token may surface
    /// wrapped (an infrastructure failure whose cause is the cancellation), and that is still a cancellation.
    /// </summary>
    private static OperationCanceledException? CancelledBy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException cancelled)
                return cancelled;
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
                return CancelledBy(aggregate.InnerExceptions[0]);
        }
        return null;
    }

    public static Task<int> Guard(Func<int> body) => Guard(() => Task.FromResult(body()));
}
