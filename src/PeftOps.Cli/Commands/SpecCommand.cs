using System.CommandLine;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Training;

namespace PeftOps.Cli.Commands;

/// <summary><c>peftops spec validate ADAPTER_DIR [--set k=v]...</c> and <c>peftops spec schema [--out FILE]</c>.</summary>
internal static class SpecCommand
{
    public static Command Create()
    {
        var command = new Command("spec", "Check adapter specs and write their JSON schema.");
        command.Subcommands.Add(CreateValidate());
        command.Subcommands.Add(CreateSchema());
        return command;
    }

    private static Command CreateValidate()
    {
        var directory = new Argument<string>("ADAPTER_DIR") { Description = "The adapter folder holding adapter.yaml." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a key before validation: key=value (training.epochs=2, method.target_modules=[query,key]).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("validate", "Load and validate an adapter spec; print it resolved, with defaults.") { directory, set };
        command.SetAction(parse => PeftOpsCli.Guard(() =>
        {
            var spec = AdapterSpecLoader.Load(parse.GetValue(directory)!, parse.GetValue(set) ?? []);
            ModelFit.CheckIfKnown(spec);
            Console.WriteLine($"{spec.SourcePath}: valid; spec sha256 {SpecHash.Compute(spec)}");
            foreach (var (key, value) in SpecText.Flatten(spec))
                Console.WriteLine($"  {key}: {value}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateSchema()
    {
        var output = new Option<string>("--out") { Description = "Write the schema to this file instead of standard output." };
        var command = new Command("schema", "Print the JSON schema of adapter.yaml.") { output };
        command.SetAction(parse => PeftOpsCli.Guard(() =>
        {
            var schema = SpecSchema.Generate();
            if (parse.GetValue(output) is not { } path)
            {
                Console.Out.Write(schema);
                return ExitCodes.Success;
            }
            if (string.IsNullOrWhiteSpace(path))
                throw new InputException($"--out '{path}': empty (expected the path of the schema file to write)");
            var full = Path.GetFullPath(path);
            if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
                throw new InputException($"--out {path}: folder {folder} does not exist");
            if (Directory.Exists(full))
                throw new InputException($"--out {path}: is a folder (expected the path of the schema file to write)");
            AtomicFile.WriteAllText(full, schema);
            Console.WriteLine($"wrote {path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
