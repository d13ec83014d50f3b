namespace PeftOps.Evaluation.Tests.Support;

/// <summary>
/// The fixed examples of the synthetic support-intents adapter: 150 intent messages in 5 classes, 80 sentence pairs
/// with gold scores 0-5 and 60 off-topic messages, each with a difficulty in [0, 1). Some texts are hostile on purpose
/// (pipes, HTML, backticks, line breaks, mentions) to exercise escaping.
/// </summary>
internal sealed class SyntheticWorld
{
    public static readonly string[] Labels = ["order_status", "refund", "shipping", "product_info", "complaint"];

    private static readonly string[][] Templates =
    [
        ["where is my order {0}", "has order {0} shipped yet?", "tracking for {0} says nothing | help", "status of my {1} order?"],
        ["I want my money back for the {1}", "refund <script>alert(1)</script> please for {0}", "return the {1} and refund me", "how long do refunds take?"],
        ["do you ship the {1} to Canada?", "shipping cost for {1}?\nneed it fast", "can I get express delivery on {0}", "which carrier ships {1}"],
        ["is the {1} waterproof?", "what size does the `{1}` run in", "does the {1} come in *black*?", "<img src=x onerror=alert(1)> {1} material?"],
        ["the {1} fell apart after a week", "@support your service is terrible", "worst purchase ever: {1} [broken](http://evil.example)", "nobody answers about {0}!!"],
    ];

    private static readonly string[] Products = ["trail runner", "court classic", "rain boot", "sandal_x", "high-top 2.0"];

    private static readonly string[] OffTopic =
    [
        "what is the capital of France", "tell me a joke about cats", "how do I fix a flat bike tire", "who won the game last night",
        "write a poem about the sea", "what's 17 * 23", "recommend a movie | thriller", "translate 'hello' to German",
    ];

    public SyntheticWorld(int seed = 7)
    {
        var random = new Random(seed);
        Intents = [.. Enumerable.Range(0, 150).Select(i =>
        {
            var label = i % Labels.Length;
            var template = Templates[label][random.Next(Templates[label].Length)];
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, $"#A{1000 + i}", Products[random.Next(Products.Length)]);
            return new Item($"intents-{i:D3}", text, null, Labels[label], null, random.NextDouble());
        })];
        Pairs = [.. Enumerable.Range(0, 80).Select(i =>
        {
            var score = Math.Round(random.NextDouble() * 5, 1);
            return new Item($"pair-{i:D3}", $"sentence {i} about topic {i % 9}", $"another sentence {i} on topic {(i * 7) % 9}", null, score, random.NextDouble());
        })];
        OffTopicItems = [.. Enumerable.Range(0, 60).Select(i =>
            new Item($"oos-{i:D3}", $"{OffTopic[i % OffTopic.Length]} ({i})", null, null, null, random.NextDouble()))];
    }

    public IReadOnlyList<Item> Intents { get; }
    public IReadOnlyList<Item> Pairs { get; }
    public IReadOnlyList<Item> OffTopicItems { get; }

    internal sealed record Item(string Id, string Text, string? Text2, string? Gold, double? GoldScore, double Difficulty);
}
