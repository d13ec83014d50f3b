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
    public static async Task<int> RunAsync(RootCommand root, string[] args)
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
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return await LastResort.Report(e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a command body: bad input exits 2, "nothing there" 4, an infrastructure failure 5, each with one
    /// message on stderr and no stack trace.
    /// </summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
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

    public static Task<int> Guard(Func<int> body) => Guard(() => Task.FromResult(body()));
}
