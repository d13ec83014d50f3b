namespace PeftOps.Cli.Tests;

/// <summary>Data files and data paths that used to crash <c>train</c> or pass silently: exit 2 before anything is written.</summary>
[Collection(CliCollection.Name)]
public sealed class BadDataTests : IDisposable
{
    private readonly BadInputRun run = new();

    public void Dispose() => run.Dispose();

    [Fact]
    public async Task A_jsonl_line_that_is_json_but_not_an_object_is_named()
    {
        File.AppendAllText(run.TrainData, "42\n");

        BadInputRun.AssertBadInput($"peftops: {run.TrainData}:25: not a JSON object (was 42)\n", await run.Train());
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_named_not_replaced_and_trained_on()
    {
        using (var stream = File.Open(run.TrainData, FileMode.Append))
            stream.Write([.. "{\"text\": \"red "u8, 0xFF, .. "\", \"label\": \"red\"}\n"u8]);

        BadInputRun.AssertBadInput($"peftops: {run.TrainData}:25: not valid UTF-8 (byte 0xFF at column 15; save the file as UTF-8)\n", await run.Train());
        run.AssertNothingWritten();
    }

    [Theory]
    [InlineData("7")]
    [InlineData("{\"a\":1}")]
    public async Task A_label_that_is_not_a_string_is_named(string label)
    {
        File.AppendAllText(run.TrainData, $"{{\"text\": \"red fire\", \"label\": {label}}}\n");

        BadInputRun.AssertBadInput($"peftops: {run.TrainData}:25: label must be a string (was {label})\n", await run.Train());
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task A_symbolic_link_loop_as_a_data_path_is_named()
    {
        var loop = run.Combine("data", "loop.jsonl");
        File.CreateSymbolicLink(loop, loop);
        run.EditSpec("train: data/train.jsonl", "train: data/loop.jsonl");

        var validated = await run.Validate();
        var trained = await run.Train();

        var expected = $"peftops: {run.Spec}:5: data.train must be an existing file, relative to the adapter folder " +
            $"(was data/loop.jsonl; {loop} cannot be resolved: Too many levels of symbolic links in '{loop}')\n";
        BadInputRun.AssertBadInput(expected, validated);
        BadInputRun.AssertBadInput(expected, trained);
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task A_data_path_outside_the_repository_is_refused()
    {
        TestSupport.GitCli.Run(run.Directory, "init", "--quiet");
        run.EditSpec("train: data/train.jsonl", "train: ../../../../../../etc/passwd");

        var validated = await run.Validate();
        var trained = await run.Train();

        var expected = $"peftops: {run.Spec}:5: data.train must be an existing file, relative to the adapter folder " +
            $"(was ../../../../../../etc/passwd; /etc/passwd is outside the repository {run.Directory}; set PEFTOPS_DATA_ROOTS to read data from elsewhere)\n";
        BadInputRun.AssertBadInput(expected, validated);
        BadInputRun.AssertBadInput(expected, trained);
        run.AssertNothingWritten();
    }

    [Fact]
    public async Task A_folder_given_as_a_data_file_is_called_a_folder()
    {
        run.EditSpec("train: data/train.jsonl", "train: data");

        BadInputRun.AssertBadInput($"peftops: {run.Spec}:5: data.train must be an existing file, relative to the adapter folder " +
            $"(was data; {run.Combine("data")} is a folder)\n", await run.Validate());
    }
}
