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

    /// <summary>Runs a command body, turning bad input into exit code 2 with one message on stderr.</summary>
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
    }

    public static Task<int> Guard(Func<int> body) => Guard(() => Task.FromResult(body()));
}
