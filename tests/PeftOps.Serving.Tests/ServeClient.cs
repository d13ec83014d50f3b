using System.Net.Http.Json;
using System.Text.Json;

namespace PeftOps.Serving.Tests;

/// <summary>Requests to the server and what came back, parsed.</summary>
internal static class ServeClient
{
    public static Task<HttpResponseMessage> PredictAsync(HttpClient client, params string[] texts) =>
        client.PostAsJsonAsync("/v1/adapters/tiny/predict", new { texts });

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<(int Status, string Error)> ErrorAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var json = await JsonAsync(response);
        return ((int)response.StatusCode, json.GetProperty("error").GetString()!);
    }
}
