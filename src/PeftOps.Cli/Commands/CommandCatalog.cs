using System.CommandLine;

namespace PeftOps.Cli.Commands;

/// <summary>Every top-level command, in the order `peftops --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return SpecCommand.Create();
        yield return DataCommand.Create();
        yield return TrainCommand.Create();
        yield return EvaluateCommand.Create();
        yield return PredictCommand.Create();
        yield return GateCommand.Create();
        yield return CompareCommand.Create();
        yield return RegistryCommand.Create();
        yield return ServeCommand.Create();
        yield return ReportCommand.Create();
        yield return PathsCommand.Create();
        yield return ForwardCommand.Create();
        yield return GenerateCommand.Create();
        yield return EmbedCommand.Create();
        yield return BenchCommand.Create();
        yield return ModelInfoCommand.Create();
    }
}
