using System.Net;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PeftOps.Contracts;

namespace PeftOps.Registry;

/// <summary>
/// Azure Blob Storage. Writes are conditional on <c>If-None-Match: *</c>, so the service answers
/// 409 (BlobAlreadyExists) or 412 instead of replacing a blob that exists, and a credential that may only read
/// and create (a SAS with <c>rc</c> permissions) is enough for everything but the container's creation.
/// Any other failure of the service, the network or the sign-in is an <see cref="InfrastructureException"/>:
/// one line, never the credential.
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    private readonly BlobContainerClient _container;
    private int _containerReady;

    public AzureBlobArtifactStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    public string Location => $"azure://{_container.AccountName}/{_container.Name}";

    public Task<bool> TryCreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Guarded(key, async () =>
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            return await CreateAsync(key, content, cancellationToken).ConfigureAwait(false);
        });

    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) =>
        Guarded(key, () => DownloadAsync(key, cancellationToken));

    private async Task<T> Guarded<T>(string key, Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (AuthenticationFailedException e)
        {
            throw new InfrastructureException(
                $"{Location}: signing in to Azure failed ({FirstLine(e.Message)}); set {RegistryLocation.ConnectionStringVariable}, or sign in first (azure/login with OpenID Connect in GitHub Actions)", e);
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new InfrastructureException(
                $"{Location}/{key}: Azure Blob Storage refused the request ({e.Status} {e.ErrorCode ?? "Forbidden"}); the credential lacks the rights this command needs, or the account key is wrong", e);
        }
        catch (RequestFailedException e)
        {
            throw Unreachable(key, e);
        }
        catch (AggregateException e) when (e.InnerExceptions.LastOrDefault() is RequestFailedException last)
        {
            // the SDK's retries gave up: each try's failure is inside; the last one says enough
            throw Unreachable(key, last);
        }
    }

    private InfrastructureException Unreachable(string key, RequestFailedException e) =>
        new($"{Location}/{key}: Azure Blob Storage failed ({(e.Status == 0 ? "no answer" : $"{e.Status} {e.ErrorCode}")}: {FirstLine(e.Message)}); check the account name and the network, then run the command again", e);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private async Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await _container.GetBlobClient(key).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    private async Task<byte[]?> DownloadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _container.GetBlobClient(key).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 1)
            return;
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Forbidden)
        {
            // a credential that may write blobs but not create containers: the container must exist already
        }
        Volatile.Write(ref _containerReady, 1);
    }
}
