using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.TestSupport;

namespace PeftOps.Modeling.Tests.Chat;

/// <summary>
/// Every template under tests/data/chat-templates renders every conversation of conversations.json as transformers
/// 4.46.3's apply_chat_template did (expected.json, made by make_fixtures.py), character for character, with and without
/// the generation prompt; where transformers raised, so do we (exit 2), with the template's own message.
/// </summary>
public sealed class ChatTemplateFixtureTests
{
    private static readonly string Folder = Path.Combine(TestPaths.TestData, "chat-templates");

    public static TheoryData<string, string, bool> Renderings()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var r in Expected().RootElement.GetProperty("results").EnumerateArray())
            data.Add(r.GetProperty("template").GetString()!, r.GetProperty("case").GetString()!, r.GetProperty("add_generation_prompt").GetBoolean());
        return data;
    }

    private static JsonDocument Expected() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Renders_as_transformers_does(string template, string caseName, bool addGenerationPrompt)
    {
        using var expected = Expected();
        var result = expected.RootElement.GetProperty("results").EnumerateArray().Single(r =>
            r.GetProperty("template").GetString() == template && r.GetProperty("case").GetString() == caseName
            && r.GetProperty("add_generation_prompt").GetBoolean() == addGenerationPrompt);
        using var conversations = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "conversations.json")));
        var messages = conversations.RootElement.GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == caseName).GetProperty("messages").EnumerateArray()
            .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
        var variables = conversations.RootElement.GetProperty("template_variables").TryGetProperty(template, out var v)
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.GetString())
            : null;
        var chat = ChatTemplate.FromCheckpoint(Path.Combine(Folder, template))!;

        if (result.TryGetProperty("text", out var text))
            Assert.Equal(text.GetString(), chat.Render(messages, addGenerationPrompt, variables));
        else
        {
            var error = Assert.Throws<InputException>(() => chat.Render(messages, addGenerationPrompt, variables));
            var hf = result.GetProperty("error").GetString()!;
            if (hf.StartsWith("TemplateError: ", StringComparison.Ordinal))
                Assert.EndsWith(hf["TemplateError: ".Length..], error.Message, StringComparison.Ordinal);
            Assert.StartsWith(Path.Combine(Folder, template, "tokenizer_config.json"), error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_template_folder_has_fixtures()
    {
        using var expected = Expected();
        var covered = expected.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("template").GetString()).ToHashSet();
        var folders = Directory.GetDirectories(Folder).Select(Path.GetFileName);
        Assert.All(folders, f => Assert.Contains(f, covered));
        Assert.True(covered.Count >= 10);
    }

    [Fact]
    public void A_checkpoint_without_a_chat_template_has_none()
    {
        using var dir = new TempDirectory();
        Assert.Null(ChatTemplate.FromCheckpoint(dir.Path));
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), """{"eos_token": "</s>"}""");
        Assert.Null(ChatTemplate.FromCheckpoint(dir.Path));
    }

    [Fact]
    public void The_list_form_without_a_default_is_refused_naming_the_templates()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), """{"chat_template": [{"name": "tool_use", "template": "x"}, {"name": "rag", "template": "y"}]}""");
        var error = Assert.Throws<InputException>(() => ChatTemplate.FromCheckpoint(dir.Path));
        Assert.Equal($"{Path.Combine(dir.Path, "tokenizer_config.json")}: chat_template has several templates and none named 'default' (found rag, tool_use)", error.Message);
    }

    [Fact]
    public void An_unsupported_feature_is_refused_when_the_checkpoint_is_read_naming_it_and_its_line()
    {
        using var dir = new TempDirectory();
        var config = Path.Combine(dir.Path, "tokenizer_config.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, string> { ["chat_template"] = "{% for m in messages %}\n{{ m.content | wordwrap(5) }}\n{% endfor %}" }));
        var error = Assert.Throws<InputException>(() => ChatTemplate.FromCheckpoint(dir.Path));
        Assert.Equal($"{config}: chat template line 2: the filter 'wordwrap' is not supported", error.Message);
    }
}
