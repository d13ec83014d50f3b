using System.Text;
using System.Text.Json;
using PeftOps.Serving.OpenAi;

namespace PeftOps.Serving.Tests.OpenAi;

/// <summary>The bodies and server-sent events of a completion, field by field as OpenAI writes them.</summary>
public sealed class CompletionShaperTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_765_000_000);

    [Fact]
    public void A_whole_chat_completion_has_OpenAI_s_fields()
    {
        var shaper = new CompletionShaper(chat: true, "support-replies", "support-replies@v1.2.0", Now);

        var json = Json(shaper.Whole("Your order A-1234 ships today.", "stop", Usage.Of(12, 8)));

        Assert.Matches("^chatcmpl-[0-9a-f]{24}$", shaper.Id);
        Assert.Equal(Q("{'id':'" + shaper.Id + "','object':'chat.completion','created':1765000000,'model':'support-replies','system_fingerprint':'support-replies@v1.2.0',"
            + "'choices':[{'index':0,'message':{'role':'assistant','content':'Your order A-1234 ships today.','refusal':null},'logprobs':null,'finish_reason':'stop'}],"
            + "'usage':{'prompt_tokens':12,'completion_tokens':8,'total_tokens':20}}"), json);
    }

    [Fact]
    public void A_whole_text_completion_has_OpenAI_s_fields()
    {
        var shaper = new CompletionShaper(chat: false, "m", "m@v1.0.0", Now);

        var json = Json(shaper.Whole(" there", "length", Usage.Of(3, 16)));

        Assert.Matches("^cmpl-[0-9a-f]{24}$", shaper.Id);
        Assert.Equal(Q("{'id':'" + shaper.Id + "','object':'text_completion','created':1765000000,'model':'m','system_fingerprint':'m@v1.0.0',"
            + "'choices':[{'text':' there','index':0,'logprobs':null,'finish_reason':'length'}],'usage':{'prompt_tokens':3,'completion_tokens':16,'total_tokens':19}}"), json);
    }

    [Fact]
    public void A_streamed_chat_completion_opens_with_the_role_adds_text_ends_with_the_reason_and_then_the_usage()
    {
        var shaper = new CompletionShaper(chat: true, "m", "m@v1.0.0", Now);
        var head = Q("{'id':'" + shaper.Id + "','object':'chat.completion.chunk','created':1765000000,'model':'m','system_fingerprint':'m@v1.0.0',");

        Assert.Equal(head + Q("'choices':[{'index':0,'delta':{'role':'assistant','content':''},'logprobs':null,'finish_reason':null}],'usage':null}"), Json(shaper.Opening()!));
        Assert.Equal(head + Q("'choices':[{'index':0,'delta':{'content':'Hi\\n'},'logprobs':null,'finish_reason':null}],'usage':null}"), Json(shaper.Delta("Hi\n")));
        Assert.Equal(head + Q("'choices':[{'index':0,'delta':{},'logprobs':null,'finish_reason':'length'}],'usage':null}"), Json(shaper.Finish("length")));
        Assert.Equal(head + Q("'choices':[],'usage':{'prompt_tokens':5,'completion_tokens':2,'total_tokens':7}}"), Json(shaper.UsageChunk(Usage.Of(5, 2))));
    }

    [Fact]
    public void A_streamed_text_completion_sends_text_chunks_with_no_opening()
    {
        var shaper = new CompletionShaper(chat: false, "m", "m@v1.0.0", Now);

        Assert.Null(shaper.Opening());
        Assert.Contains(Q("'object':'text_completion',"), Json(shaper.Delta("abc")), StringComparison.Ordinal);
        Assert.EndsWith(Q("'choices':[{'text':'','index':0,'logprobs':null,'finish_reason':'stop'}],'usage':null}"), Json(shaper.Finish("stop")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_sent_events_are_data_lines_with_a_blank_line_after_each_and_DONE_last()
    {
        var shaper = new CompletionShaper(chat: false, "m", "m@v1.0.0", Now);
        using var stream = new MemoryStream();

        await ServerSentEvents.WriteAsync(stream, shaper.Delta("two\nlines"), CancellationToken.None);
        await ServerSentEvents.DoneAsync(stream, CancellationToken.None);

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal($"data: {Json(shaper.Delta("two\nlines"))}\n\ndata: [DONE]\n\n", text);
        Assert.Equal(2, text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length); // the newline in the text stays escaped inside one event
    }

    /// <summary>JSON written with ' for " (none of these texts holds a ').</summary>
    private static string Q(string json) => json.Replace('\'', '"');

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), OpenAiJson.Options);
}
