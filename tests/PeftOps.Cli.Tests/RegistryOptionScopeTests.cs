using PeftOps.Cli.Commands;

namespace PeftOps.Cli.Tests;

/// <summary>
/// <c>--registry</c> reaches every command that reads the store (each <c>registry</c> subcommand, <c>serve</c>) and no
/// other: <c>serve refresh</c> talks to a running server and refuses it rather than ignore it.
/// </summary>
public sealed class RegistryOptionScopeTests
{
    [Theory]
    [InlineData("registry show --registry file:///tmp/store")]
    [InlineData("registry --registry file:///tmp/store history a")]
    [InlineData("registry candidate fetch adapters/a --out x --registry file:///tmp/store")]
    [InlineData("serve --stage production --registry file:///tmp/store")]
    public void The_commands_that_read_the_store_take_it(string line)
    {
        var parse = PeftOpsCli.CreateRoot().Parse(line);

        Assert.Empty(parse.Errors);
        Assert.Equal("file:///tmp/store", parse.GetValue<string?>("--registry"));
    }

    [Fact]
    public void Serve_refresh_refuses_it() =>
        Assert.Contains(PeftOpsCli.CreateRoot().Parse("serve refresh --url https://adapters.example.com --registry file:///tmp/store").Errors,
            e => e.Message.Contains("--registry", StringComparison.Ordinal));
}
