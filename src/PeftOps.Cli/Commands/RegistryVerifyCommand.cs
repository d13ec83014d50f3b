using PeftOps.Contracts;
using System.CommandLine;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Onnx;
using PeftOps.Registry;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops registry verify NAME --version V</c>: every stored file against the manifest and the manifest against
/// the tag, then the lineage back to its sources where this machine has them: the commit, the spec and data files at
/// that commit, and the base model's weights. Each check is one line (<c>ok</c>, <c>FAIL</c> or <c>skip</c>).
/// </summary>
internal static class RegistryVerifyCommand
{
    public static Command Create()
    {
        var adapter = RegistryCommand.AdapterArgument();
        var version = RegistryCommand.VersionOption(required: true);
        var command = new Command("verify", "Check every file against its manifest and the manifest against its tag, then the lineage: commit, spec, data and base model where available.") { adapter, version };
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var verified = await registry.VerifyAsync(parse.GetValue(adapter)!, parse.GetValue(version)!, cancellationToken).ConfigureAwait(false);
            foreach (var (name, file) in verified.Manifest.Files)
                Console.WriteLine($"ok    {name}: sha256 {file.Sha256}");
            var checks = (await registry.CheckLineageAsync(verified, cancellationToken).ConfigureAwait(false)).Append(CheckBaseModel(verified.Manifest.BaseModel)).ToList();
            foreach (var check in checks)
                Console.WriteLine(check);
            var summary = $"{verified.Manifest.Adapter}@{verified.Manifest.Version}: {verified.Files.Count} files verified; lineage: "
                + string.Join(", ", new[] { LineageCheck.Ok, LineageCheck.Failed, LineageCheck.Skipped }
                    .Select(o => (o, n: checks.Count(c => c.Outcome == o))).Where(x => x.n > 0).Select(x => $"{x.n} {Word(x.o)}"));
            Console.WriteLine(summary);
            if (checks.FirstOrDefault(c => c.Outcome == LineageCheck.Failed) is { } failed)
            {
                await Console.Error.WriteLineAsync($"peftops: verification failed: {failed.What}: {failed.Detail}").ConfigureAwait(false);
                return ExitCodes.GateFailed;
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Word(string outcome) => outcome switch
    {
        LineageCheck.Ok => "ok",
        LineageCheck.Failed => "failed",
        _ => "skipped",
    };

    /// <summary>The base model's weights where this machine already has them; a built-in model is never converted just to check it.</summary>
    private static LineageCheck CheckBaseModel(BaseModelReference model)
    {
        var what = $"base model {model.Ref}";
        if (model.Sha256 is null)
            return new(LineageCheck.Skipped, what, "the lineage records no weights sha256");
        string actual;
        if (model.Ref.StartsWith("builtin:", StringComparison.Ordinal))
        {
            var folder = MiniLmCache.FolderFor();
            if (!File.Exists(Path.Combine(folder, MiniLmCache.ManifestFileName)))
                return new(LineageCheck.Skipped, what, $"not converted on this machine ({folder})");
            if (MiniLmCache.Verify(folder) is { } problem)
                return new(LineageCheck.Failed, what, problem);
            actual = MiniLmCache.ReadManifest(folder).ModelSha256;
        }
        else if (Directory.Exists(model.Ref))
        {
            actual = ModelLoader.WeightsSha256Of(model.Ref);
        }
        else
        {
            return new(LineageCheck.Skipped, what, "not on this machine");
        }
        return actual == model.Sha256
            ? new(LineageCheck.Ok, what, $"weights sha256 {actual}")
            : new(LineageCheck.Failed, what, $"weights sha256 {actual} here, the lineage records {model.Sha256}");
    }
}
