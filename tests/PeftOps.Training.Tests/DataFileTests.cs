using PeftOps.Contracts;
using PeftOps.TestSupport;
using PeftOps.Training.Data;

namespace PeftOps.Training.Tests;

public sealed class DataFileTests
{
    [Fact]
    public void Csv_cells_may_be_quoted_across_lines_and_errors_name_the_line_a_record_starts_on()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("data.csv");
        File.WriteAllText(path, "text,category\r\n\"My card, the blue one\",card_arrival\r\n\"\nit \"\"broke\"\"\",card_not_working\r\nno label here\r\n");

        var error = Assert.Throws<InputException>(() => DataFile.ReadLabeled(path));
        File.WriteAllText(path, "text,category\r\n\"My card, the blue one\",card_arrival\r\n\"\nit \"\"broke\"\"\",card_not_working\r\n");
        var rows = DataFile.ReadLabeled(path);

        Assert.Equal($"{path}:5: expected 2 columns, found 1", error.Message);
        Assert.Equal([new LabeledText("My card, the blue one", "card_arrival", 2), new LabeledText("it \"broke\"", "card_not_working", 3)], rows);
    }

    [Fact]
    public void A_jsonl_line_that_is_not_json_is_named()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("data.jsonl");
        File.WriteAllText(path, "{\"text\": \"hi\", \"label\": \"greet\"}\n{\"text\": \"oops\"\n");

        var error = Assert.Throws<InputException>(() => DataFile.ReadLabeled(path));

        Assert.StartsWith($"{path}:2: not a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_bad_input()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("empty.jsonl");
        File.WriteAllText(path, "\n");

        Assert.Equal($"{path}: no examples (expected one per line)", Assert.Throws<InputException>(() => DataFile.ReadLabeled(path)).Message);
    }
}
