using System.CommandLine;
using System.Text;
using CsCheck;
using PeftOps.Cli.Commands;

namespace PeftOps.Reliability;

/// <summary>
/// Random argument vectors into the real <c>peftops</c> command tree, in this process: command paths and options taken
/// from the tree itself, values from a pool of paths (missing, empty, a file of random bytes, a broken adapter, a real
/// PEFT adapter, a tiny checkpoint without a tokenizer) and awkward scalars. Handled means an exit code of the contract
/// (0 to 5); exit 70 is the last-resort handler catching an exception no command expected, a crash.
/// </summary>
/// <remarks>
/// The pool never names a base model that would load and train (no <c>builtin:</c> reference, the adapter's base model
/// is missing), an <c>azure://</c> store or a GitHub token, so no case trains, reaches the network or writes outside
/// the work folder; the command runs with the work folder as its current folder, outside any git repository.
/// </remarks>
internal static class CliTarget
{
    private const string Work = "{work}";

    private static readonly string[] CleanedVariables =
        ["GITHUB_TOKEN", "GITHUB_ACTIONS", "GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_EVENT_PATH", "PEFTOPS_REGISTRY", "PEFTOPS_AZURE_STORAGE_CONNECTION_STRING", "PEFTOPS_DATA_ROOTS"];

    // Commands that measure, write gigabytes or serve until stopped, by design and with no required input: `bench`
    // loads the builtin model and trains for minutes, `model synth` writes a real-sized checkpoint, `serve` listens.
    // Their input checks have their own tests (tests/PeftOps.Cli.Tests/BenchCommandTests.cs, tests/PeftOps.Serving.Tests).
    private static readonly HashSet<string> LongRunning = new(StringComparer.Ordinal) { "bench", "model synth", "serve" };

    private static readonly string[] Values =
    [
        $"{Work}/missing", $"{Work}/empty", $"{Work}/random.bin", $"{Work}/adapter", $"{Work}/adapter/adapter.yaml", $"{Work}/adapter/data/train.jsonl",
        $"{Work}/peft", $"{Work}/peft/adapter_model.safetensors", $"{Work}/tiny-bert", $"{Work}/out", $"{Work}/out/deeper", $"{Work}/gate", $"{Work}/eval.json",
        $"file://{Work}/registry", "file://", "file:///", "azure://", "azure://only-account", "s3://bucket/key", "http://127.0.0.1:9/x",
        "", " ", "-", "--", "=", "0", "-1", "1.0.0", "v1.2.3", "1.2", "99999999999999999999", "cpu", "cuda", "cuda:7", "auto", "mps",
        "staging", "production", "nope", "x=y", "method.r=0", "method.r=abc", "method.r=1000000000", "training.epochs=-1", "task.type=causal-lm",
        "=x", "a==b", "data.train=../../../../etc/passwd", "2026-11-28T12:00:00Z", "yesterday", "support-intents", "tiny", "../..", "/", "/dev/null",
        "builtin:nope", "builtin:", "support-intents@v1.0.0", "\u00e9", "\ud83d\udc4b", "--help", "-h", "-?", "--version", "[suggest]",
    ];

    public static FuzzTarget Create(string repoRoot, string work)
    {
        Prepare(repoRoot, work);
        var commands = Commands(PeftOpsCli.CreateRoot(), []);
        var cwd = Path.Combine(work, "cwd");
        Directory.CreateDirectory(cwd);
        return new FuzzTarget
        {
            Name = "cli",
            Extension = ".args",
            Generate = pcg => Encode(Arguments(pcg, commands)),
            Run = input => Run(Decode(input, work), cwd),
        };
    }

    /// <summary>Arguments joined by NUL, with the work folder written as <c>{work}</c> so a saved case replays anywhere.</summary>
    public static byte[] Encode(IEnumerable<string> args) => Encoding.UTF8.GetBytes(string.Join('\0', args));

    public static string[] Decode(byte[] input, string work) =>
        input.Length == 0 ? [] : Encoding.UTF8.GetString(input).Split('\0').Select(a => a.Replace(Work, work, StringComparison.Ordinal)).ToArray();

    private static List<string> Arguments(PCG pcg, IReadOnlyList<(string[] Path, string[] Options)> commands)
    {
        var args = new List<string>();
        if (pcg.Next(20) == 0)
        {
            var count = (int)pcg.Next(6);
            for (var i = 0; i < count; i++)
                args.Add(Gen.String[0, 12].Generate(pcg, null, out _).Replace("\0", "", StringComparison.Ordinal));
            return args;
        }
        var (path, options) = commands[(int)pcg.Next((uint)commands.Count)];
        args.AddRange(path);
        if (path.Length > 0 && pcg.Next(10) == 0)
            args.RemoveAt(args.Count - 1);
        var items = (int)pcg.Next(7);
        for (var i = 0; i < items; i++)
        {
            if (options.Length > 0 && pcg.Next(10) < 6)
            {
                args.Add(options[pcg.Next((uint)options.Length)]);
                if (pcg.Next(4) == 0)
                    continue;
            }
            args.Add(pcg.Next(12) == 0 ? Gen.String[0, 8].Generate(pcg, null, out _).Replace("\0", "", StringComparison.Ordinal) : Values[pcg.Next((uint)Values.Length)]);
        }
        return args;
    }

    private static List<(string[] Path, string[] Options)> Commands(Command command, string[] path)
    {
        var options = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct(StringComparer.Ordinal).ToArray();
        var result = new List<(string[], string[])> { (path, options) };
        foreach (var sub in command.Subcommands.Where(c => !LongRunning.Contains(string.Join(' ', [.. path, c.Name]))))
            result.AddRange(Commands(sub, [.. path, sub.Name]));
        return result;
    }

    private static Exception? Run(string[] args, string cwd)
    {
        var saved = CleanedVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        var (stdout, stderr, directory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            foreach (var variable in CleanedVariables)
                Environment.SetEnvironmentVariable(variable, null);
            Directory.SetCurrentDirectory(cwd);
            Console.SetOut(output);
            Console.SetError(error);
            var code = PeftOpsCli.RunAsync(args).GetAwaiter().GetResult();
            return code is >= 0 and <= 5 ? null : new CliCrashException(args, code, error.ToString());
        }
#pragma warning disable CA1031 // whatever escapes the command line is the finding
        catch (Exception e)
        {
            return e;
        }
#pragma warning restore CA1031
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Directory.SetCurrentDirectory(directory);
            foreach (var (variable, value) in saved)
                Environment.SetEnvironmentVariable(variable, value);
        }
    }

    // The files the value pool names; built once per work folder.
    private static void Prepare(string repoRoot, string work)
    {
        Directory.CreateDirectory(Path.Combine(work, "empty"));
        Directory.CreateDirectory(Path.Combine(work, "gate"));
        File.WriteAllBytes(Path.Combine(work, "random.bin"), Gen.Byte.Array[256].Generate(new PCG(1, 1), null, out _));
        File.WriteAllText(Path.Combine(work, "eval.json"), "{\"schema\": \"peftops.eval/v1\"}");
        var fixtures = Path.Combine(repoRoot, "tests", "data", "hf-peft");
        Copy(Path.Combine(fixtures, "bert-lora"), Path.Combine(work, "peft"), ["adapter_config.json", "adapter_model.safetensors"]);
        Copy(Path.Combine(fixtures, "tiny-bert"), Path.Combine(work, "tiny-bert"), ["config.json", "model.safetensors"]);
        var adapter = Path.Combine(work, "adapter");
        Copy(Path.Combine(repoRoot, "adapters", "support-intents", "data"), Path.Combine(adapter, "data"), ["train.jsonl", "validation.jsonl", "test.jsonl"]);
        Copy(Path.Combine(repoRoot, "adapters", "support-intents", "eval"), Path.Combine(adapter, "eval"), ["general_pairs.tsv", "off_topic.jsonl"]);
        var spec = File.ReadAllText(Path.Combine(repoRoot, "adapters", "support-intents", "adapter.yaml"))
            .Replace("name: support-intents", "name: adapter", StringComparison.Ordinal)
            .Replace("base_model: builtin:all-MiniLM-L6-v2", "base_model: ../no-such-model", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(adapter, "adapter.yaml"), spec);
    }

    private static void Copy(string from, string to, string[] files)
    {
        Directory.CreateDirectory(to);
        foreach (var file in files)
            File.Copy(Path.Combine(from, file), Path.Combine(to, file), overwrite: true);
    }
}

/// <summary>peftops ended with an exit code outside the contract (70: an exception no command expected).</summary>
internal sealed class CliCrashException(string[] args, int exitCode, string stderr)
    : Exception($"peftops {string.Join(' ', args.Select(a => a.Length == 0 || a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a))} exited {exitCode}: {stderr.Trim()}")
{
    public int ExitCode { get; } = exitCode;
}
