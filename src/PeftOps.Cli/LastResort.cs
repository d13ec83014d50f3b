using System.Text.RegularExpressions;

namespace PeftOps.Cli;

/// <summary>
/// What the user sees of an exception no command expected (a bug): one line with its type and message and exit
/// <see cref="ExitCodes.InternalError"/>, never 1 ("gate failed"). <c>PEFTOPS_DEBUG=1</c> adds the stack trace.
/// Credentials that the message may quote (an account key, a SAS signature, a token from the environment) are masked.
/// </summary>
internal static partial class LastResort
{
    public const string DebugVariable = "PEFTOPS_DEBUG";

    private static readonly string[] SecretVariables = ["PEFTOPS_AZURE_STORAGE_CONNECTION_STRING", "GITHUB_TOKEN"];

    public static async Task<int> Report(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException cancelled)
        {
            await Console.Error.WriteLineAsync(TerminationSignals.Line(signal: null, cancelled)).ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        await Console.Error.WriteLineAsync(Line(exception)).ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
            await Console.Error.WriteLineAsync(Mask(exception.ToString())).ConfigureAwait(false);
        return ExitCodes.InternalError;
    }

    /// <summary><c>peftops: internal error: System.X: message (...)</c> on one line.</summary>
    public static string Line(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = string.Join(' ', exception.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"peftops: internal error: {exception.GetType().FullName}: {Mask(message)} "
            + $"(a bug in peftops, not in the input; run again with {DebugVariable}=1 for the stack trace and report it)";
    }

    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var variable in SecretVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: >= 8 } secret)
                text = text.Replace(secret, $"${variable}", StringComparison.Ordinal);
        }
        return SecretPair().Replace(text, m => $"{m.Groups["key"].Value}=***");
    }

    // AccountKey=..., SharedAccessSignature=..., sig=... up to the next separator
    [GeneratedRegex(@"(?<key>AccountKey|SharedAccessSignature|sig)=[^;&\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPair();
}
