using System.CommandLine;
using PeftOps.Configuration;

namespace PeftOps.Cli;

/// <summary>The <c>peftops</c> command tree. Each command lives in its own <c>Commands/*.cs</c> file.</summary>
internal static class PeftOpsCli
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("PeftOps: train, evaluate, gate and release parameter-efficient adapters.");
        foreach (var command in Commands.CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"peftops: {error.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync().ConfigureAwait(false);
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
