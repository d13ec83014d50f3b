using System.CommandLine;

namespace PeftOps.Cli.Commands;

/// <summary>Every top-level command, in the order `peftops --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return ForwardCommand.Create();
        yield return EmbedCommand.Create();
        yield return ModelInfoCommand.Create();
    }
}
