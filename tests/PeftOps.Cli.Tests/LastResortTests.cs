using System.CommandLine;
using PeftOps.Cli.Commands;

namespace PeftOps.Cli.Tests;

/// <summary>
/// An exception no command expected reaches the user as one line and exit 70, never as System.CommandLine's stack
/// trace and exit 1 (which means "gate failed").
/// </summary>
[Collection(CliCollection.Name)]
public sealed class LastResortTests
{
    [Fact]
    public async Task An_unexpected_exception_is_one_line_and_exit_70_without_a_stack_trace()
    {
        var result = await RunThrowing(new InvalidOperationException("Sequence contains no elements"), debug: null);

        Assert.Equal(
            "peftops: internal error: System.InvalidOperationException: Sequence contains no elements " +
            "(a bug in peftops, not in the input; run again with PEFTOPS_DEBUG=1 for the stack trace and report it)\n",
            result.Stderr);
        Assert.Equal(70, result.ExitCode);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_multi_line_message_is_joined_into_one_line()
    {
        var result = await RunThrowing(new IOException("first\r\n  second\nthird"), debug: null);

        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("peftops: internal error: System.IO.IOException: first second third (", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(70, result.ExitCode);
    }

    [Fact]
    public async Task PEFTOPS_DEBUG_1_adds_the_stack_trace_after_the_line()
    {
        var result = await RunThrowing(new InvalidOperationException("boom"), debug: "1");

        var lines = result.Stderr.Split('\n');
        Assert.StartsWith("peftops: internal error: System.InvalidOperationException: boom (", lines[0], StringComparison.Ordinal);
        Assert.Equal("System.InvalidOperationException: boom", lines[1]);
        Assert.Contains("   at PeftOps.Cli.Tests.LastResortTests.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(70, result.ExitCode);
    }

    [Fact]
    public async Task Credentials_quoted_by_the_message_are_masked()
    {
        var message = "could not reach DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net "
            + "nor https://acct.blob.core.windows.net/c?sv=2024-01-01&sig=abc%2Fdef&se=2030";

        var result = await RunThrowing(new InvalidOperationException(message), debug: "1");

        Assert.Contains("AccountKey=***;EndpointSuffix", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("sig=***&se=2030", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleQ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("abc%2Fdef", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_exits_130_with_one_line()
    {
        var result = await RunThrowing(new OperationCanceledException(), debug: null);

        Assert.Equal("peftops: cancelled\n", result.Stderr);
        Assert.Equal(130, result.ExitCode);
    }

    [Fact]
    public async Task The_documented_exceptions_keep_their_codes()
    {
        Assert.Equal(2, (await RunThrowing(new Contracts.InputException("x.yaml:1: bad"), debug: null)).ExitCode);
        Assert.Equal(4, (await RunThrowing(new Contracts.NothingFoundException("none"), debug: null)).ExitCode);
        Assert.Equal(5, (await RunThrowing(new Contracts.InfrastructureException("git failed"), debug: null)).ExitCode);
    }

    // A real command tree whose one command throws, run as Program runs the real one: through Guard and System.CommandLine.
    private static async Task<CliResult> RunThrowing(Exception exception, string? debug)
    {
        var command = new Command("explode", "throws");
        command.SetAction((_, _) => PeftOpsCli.Guard(() => ThrowFrom(exception)));
        var root = new RootCommand("test") { command };
        var previous = Environment.GetEnvironmentVariable(LastResort.DebugVariable);
        Environment.SetEnvironmentVariable(LastResort.DebugVariable, debug);
        try
        {
            return await PeftOpsRunner.InProcess(root, "explode");
        }
        finally
        {
            Environment.SetEnvironmentVariable(LastResort.DebugVariable, previous);
        }
    }

    private static int ThrowFrom(Exception exception) => throw exception;
}
