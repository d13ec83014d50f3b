using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Generation;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops generate --base REF [--adapter PEFT_DIR] --input JSONL --out JSONL [--dtype float32|bf16] [...]</c>: completes each input row with the
/// decoder (greedy, or seeded sampling) and writes <c>{"id"?, "text", "tokens", "prompt_tokens", "completion_tokens",
/// "finish_reason"}</c> per row, in input order, whole or not at all.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var baseModel = new Option<string>("--base") { Description = "A decoder checkpoint folder (Llama, Qwen2, Mistral).", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "A PEFT adapter folder for the decoder." };
        var input = new Option<string>("--input") { Description = "JSONL: {\"prompt\": TEXT}, {\"messages\": [...]} or {\"input_ids\": [...]} per line, optional \"id\".", Required = true };
        var output = new Option<string>("--out") { Description = "The JSONL file to write, one completion per input row.", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "New tokens per row at most (default 128).", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "0 (default) is greedy; above 0 samples from softmax(logits / T).", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling: keep the most likely tokens up to this probability (default 1).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long>("--seed") { Description = "Seed of each row's sampler (default 0): the same seed gives the same text.", DefaultValueFactory = _ => 0L };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this string (repeatable); the text returned leaves it out.", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows generated together, left-padded (default 8).", DefaultValueFactory = _ => 8 };
        var device = new Option<string>("--device") { Description = "cpu or cuda (default cpu).", DefaultValueFactory = _ => "cpu" };
        var dtype = CommonOptions.Dtype();
        var command = new Command("generate", "Generate text with a decoder, optionally with a PEFT adapter: a KV cache, left-padded batches, EOS and stop strings.")
        {
            baseModel, adapter, input, output, maxNewTokens, temperature, topP, seed, stop, batchSize, device, dtype,
        };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() => Run(
            parse.GetValue(baseModel)!, parse.GetValue(adapter), parse.GetValue(input)!, parse.GetValue(output)!,
            new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens), Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP),
                Seed = parse.GetValue(seed), Stop = parse.GetValue(stop) ?? [],
            },
            parse.GetValue(batchSize), parse.GetValue(device), parse.GetValue(dtype), ct)));
        return command;
    }

    private static int Run(string reference, string? adapterDir, string inputPath, string outputPath, GenerationOptions options,
        int batchSize, string? deviceName, string? dtypeName, CancellationToken cancellationToken)
    {
        var target = ForwardCommand.OutputFile(outputPath, "--out");
        if (batchSize < 1)
            throw new InputException($"--batch-size must be at least 1 (was {batchSize})");
        if (options.MaxNewTokens < 1)
            throw new InputException($"--max-new-tokens must be at least 1 (was {options.MaxNewTokens})");
        var rows = GenerateInput.ReadAll(inputPath);
        var device = TorchRuntime.ResolveDevice(deviceName);
        using var model = ModelLoader.Load(reference, new ModelLoadOptions { Device = device, Dtype = BaseDtype.Parse(dtypeName) });
        if (model.Llama is not { } config)
            throw new InputException($"--base {reference}: generate needs a decoder checkpoint (Llama, Qwen2 or Mistral); this is {model.Architecture}");
        if (adapterDir is not null)
        {
            var (_, warnings) = new PeftModel(model).LoadAdapter(adapterDir, "default");
            foreach (var warning in warnings)
                Console.Error.WriteLine($"peftops: warning: {warning}");
        }
        var generator = new Generator(model);
        var prompts = rows.Select(row => Tokens(row, generator, inputPath)).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var where = $"{inputPath}:{rows[i].Line}";
            var bad = prompts[i].FirstOrDefault(id => id >= config.VocabSize, -1);
            if (bad >= 0)
                throw new InputException($"{where}: input_ids holds {bad} (expected 0 to {config.VocabSize - 1}, the model's vocabulary)");
            if (prompts[i].Length + options.MaxNewTokens > config.MaxPositionEmbeddings)
                throw new InputException($"{where}: {KeyOf(rows[i])} is {prompts[i].Length} tokens; with --max-new-tokens {options.MaxNewTokens} that exceeds the model's {config.MaxPositionEmbeddings} positions (max_position_embeddings)");
        }

        var clock = Stopwatch.StartNew();
        var results = new List<GeneratedText>();
        foreach (var batch in prompts.Chunk(batchSize))
            results.AddRange(generator.Generate(batch, options, cancellationToken: cancellationToken));
        var lines = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
            lines.Append(Line(rows[i], results[i])).Append('\n');
        AtomicFile.WriteAllText(target, lines.ToString());
        var tokens = results.Sum(r => r.Tokens.Count);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outputPath}: {rows.Count} completions, {tokens} new tokens in {seconds:F1} s ({tokens / Math.Max(seconds, 1e-9):F1} tokens/s)"));
        return ExitCodes.Success;
    }

    private static int[] Tokens(GenerateInput row, Generator generator, string inputPath)
    {
        if (row.InputIds is { } ids)
            return ids;
        if (row.Messages is { } messages)
        {
            try
            {
                return generator.EncodeChat([.. messages.Select(m => new ChatMessage(m.Role, m.Content))]);
            }
            catch (InputException e)
            {
                throw new InputException($"{inputPath}:{row.Line}: messages: {e.Message}", e);
            }
        }
        return generator.EncodePrompt(row.Prompt!);
    }

    private static string KeyOf(GenerateInput row) => row.InputIds is not null ? "input_ids" : row.Messages is not null ? "messages" : "prompt";

    private static string Line(GenerateInput row, GeneratedText result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (row.IdJson is not null)
            {
                writer.WritePropertyName("id");
                writer.WriteRawValue(row.IdJson);
            }
            writer.WriteString("text", result.Text);
            writer.WriteStartArray("tokens");
            foreach (var token in result.Tokens)
                writer.WriteNumberValue(token);
            writer.WriteEndArray();
            writer.WriteNumber("prompt_tokens", result.PromptTokens);
            writer.WriteNumber("completion_tokens", result.Tokens.Count);
            writer.WriteString("finish_reason", result.FinishReason);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
