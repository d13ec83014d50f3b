using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.TestSupport;
using PeftOps.Training.Data;

namespace PeftOps.Training.Tests;

/// <summary>Multiple-choice and generation suite files: what a row may hold, and one line naming file, line and key when it is wrong.</summary>
public sealed class SuiteDataFileTests
{
    [Fact]
    public void Multiple_choice_rows_are_read_with_ids_defaulting_to_the_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("mc.jsonl");
        File.WriteAllText(path, """
            {"question": "The sky is", "choices": ["blue", "green"], "gold": 0}

            {"id": "q2", "question": "Grass is", "choices": ["blue", "green", "red"], "gold": 1}
            """);

        var rows = DataFile.ReadMultipleChoice(path);

        Assert.Equal(["1", "q2"], rows.Select(r => r.Id));
        Assert.Equal(["blue", "green", "red"], rows[1].Choices);
        Assert.Equal(1, rows[1].Gold);
        Assert.Equal(3, rows[1].Line);
    }

    [Theory]
    [InlineData("""{"question": "Q", "choices": ["a", "b"], "gold": 2}""", ":1: gold must be the index of the right choice, 0 to 1 (was 2)")]
    [InlineData("""{"question": "Q", "choices": ["a", "b"], "gold": "0"}""", ":1: gold must be the index of the right choice, 0 to 1 (was \"0\")")]
    [InlineData("""{"question": "Q", "choices": ["a"], "gold": 0}""", ":1: choices must be a list of at least two non-empty strings")]
    [InlineData("""{"question": "", "choices": ["a", "b"], "gold": 0}""", ":1: question missing or empty")]
    [InlineData("""{"question": "Q", "choices": ["a", "b"], "gold": 0, "answer": 1}""", ":1: unknown key 'answer' (expected: id, question, choices, gold)")]
    public void A_bad_multiple_choice_row_is_named(string row, string expected) =>
        AssertRefused(row, expected, path => DataFile.ReadMultipleChoice(path));

    [Fact]
    public void Generation_rows_hold_a_prompt_or_messages_and_their_checks()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("gen.jsonl");
        File.WriteAllText(path, """
            {"id": "refund", "prompt": "How long do refunds take?", "reference": "5 business days", "not_contains": ["lifetime"]}
            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Status?"}], "json_schema": {"type": "object"}}
            """);

        var rows = DataFile.ReadGeneration(path);

        Assert.Equal("How long do refunds take?", rows[0].Prompt);
        Assert.Equal("5 business days", rows[0].Checks.Reference);
        Assert.Equal(["lifetime"], rows[0].Checks.NotContains);
        Assert.Null(rows[1].Prompt);
        Assert.Equal([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Status?")], rows[1].Messages);
        Assert.True(rows[1].Checks.Json); // a schema implies JSON
        Assert.Equal("2", rows[1].Id);
    }

    [Theory]
    [InlineData("""{"prompt": "P"}""", ":1: the row checks nothing (expected a reference or one of contains, not_contains, regex, not_regex, json, json_schema)")]
    [InlineData("""{"prompt": "P", "messages": [{"role": "user", "content": "P"}], "json": true}""", ":1: expected exactly one of prompt (a string) and messages")]
    [InlineData("""{"messages": [{"role": "robot", "content": "P"}], "json": true}""", ":1: messages[0] must be {\"role\": \"system|user|assistant\", \"content\": \"...\"}")]
    [InlineData("""{"prompt": "P", "contains": "x"}""", ":1: contains must be a list of strings (was \"x\")")]
    [InlineData("""{"prompt": "P", "regex": ["("]}""", ":1: regex[0] is not a valid .NET regular expression")]
    [InlineData("""{"prompt": "P", "refrence": "x"}""", ":1: unknown key 'refrence'")]
    [InlineData("""{"prompt": "P", "json_schema": "object"}""", ":1: json_schema must be a JSON Schema object")]
    public void A_bad_generation_row_is_named(string row, string expected) =>
        AssertRefused(row, expected, path => DataFile.ReadGeneration(path));

    [Fact]
    public void An_id_used_twice_is_refused_because_ids_pair_examples()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("gen.jsonl");
        File.WriteAllText(path, "{\"id\": \"a\", \"prompt\": \"P\", \"json\": true}\n{\"id\": \"a\", \"prompt\": \"Q\", \"json\": true}\n");

        var error = Assert.Throws<InputException>(() => DataFile.ReadGeneration(path));

        Assert.Equal($"{path}:2: id 'a' was already used on line 1 (ids pair examples across evaluations, so they must be unique)", error.Message);
    }

    // the one-row file is refused with a message that starts with its path and the given text
    private static void AssertRefused(string row, string expected, Func<string, object> read)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("suite.jsonl");
        File.WriteAllText(path, row + "\n");

        var error = Assert.Throws<InputException>(() => read(path));

        Assert.StartsWith(path + expected, error.Message, StringComparison.Ordinal);
    }
}
