using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry;

public sealed partial class AdapterRegistry
{
    /// <summary>Assigns a verified, registered version to a stage with a new <c>adapter#stage#N</c> tag.</summary>
    public async Task<StageChange> PromoteAsync(string adapter, string version, string stage, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        CheckStage(stage);
        version = CheckVersion(version);
        var (state, finished) = await FreshStateAsync(adapter, new PendingChange("promote", version, stage, ""), cancellationToken).ConfigureAwait(false);
        if (finished is not null)
            return finished;
        RequireRegistered(state, version);
        var current = state.StageVersion(stage);
        if (current == version)
            throw new InputException($"{adapter}@{version} already holds stage '{stage}'");
        await VerifyAsync(adapter, version, cancellationToken).ConfigureAwait(false);
        FaultPoint.Reach("promote", "after-verify");
        return await WriteEventTagAsync(state, new GtoTagName(adapter, GtoAction.Assign, null, stage, null), state.Registration(version)!.Commit,
            new EventRecord(EventRecord.SchemaId, adapter, "promote", version, stage, current, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Assigns the stage's previous holder again with a new tag (history stays append-only). Rolling back twice
    /// walks back two promotions.
    /// </summary>
    public async Task<StageChange> RollbackAsync(string adapter, string stage, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        CheckStage(stage);
        var (state, finished) = await FreshStateAsync(adapter, new PendingChange("rollback", null, stage, ""), cancellationToken).ConfigureAwait(false);
        if (finished is not null)
            return finished;
        var holders = state.StageHolders(stage);
        if (holders.Count < 2)
            throw new InputException($"{adapter}: stage '{stage}' has {(holders.Count == 0 ? "no version" : $"only {holders[0]}")}, so there is no earlier version to roll back to");
        var (previous, current) = (holders[^2], holders[^1]);
        await VerifyAsync(adapter, previous, cancellationToken).ConfigureAwait(false);
        FaultPoint.Reach("rollback", "after-verify");
        return await WriteEventTagAsync(state, new GtoTagName(adapter, GtoAction.Assign, null, stage, null), state.Registration(previous)!.Commit,
            new EventRecord(EventRecord.SchemaId, adapter, "rollback", previous, stage, current, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the stage from its current holder as GTO does, with <c>adapter#stage!#N</c>; nothing holds it afterwards.</summary>
    public async Task<StageChange> UnassignAsync(string adapter, string stage, string? reason, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        CheckStage(stage);
        var (state, finished) = await FreshStateAsync(adapter, new PendingChange("unassign", null, stage, ""), cancellationToken).ConfigureAwait(false);
        if (finished is not null)
            return finished;
        var current = state.StageVersion(stage)
            ?? throw new InputException($"{adapter}: no version holds stage '{stage}', so there is nothing to unassign");
        return await WriteEventTagAsync(state, new GtoTagName(adapter, GtoAction.Unassign, null, stage, null), state.Registration(current)!.Commit,
            new EventRecord(EventRecord.SchemaId, adapter, "unassign", current, stage, current, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Withdraws a version as GTO does, with <c>adapter@vX.Y.Z!#N</c>; its files stay in the store.</summary>
    public async Task<StageChange> DeregisterAsync(string adapter, string version, string? reason, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        version = CheckVersion(version);
        var (state, finished) = await FreshStateAsync(adapter, new PendingChange("deregister", version, null, ""), cancellationToken).ConfigureAwait(false);
        if (finished is not null)
            return finished;
        RequireRegistered(state, version);
        return await WriteEventTagAsync(state, new GtoTagName(adapter, GtoAction.Deregister, version, null, null), state.Registration(version)!.Commit,
            new EventRecord(EventRecord.SchemaId, adapter, "deregister", version, null, null, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the whole adapter deprecated as GTO does, with <c>adapter@deprecated#N</c>.</summary>
    public async Task<StageChange> DeprecateAsync(string adapter, string? reason, CancellationToken cancellationToken)
    {
        CheckName(adapter, "adapter");
        var (state, finished) = await FreshStateAsync(adapter, new PendingChange("deprecate", null, null, ""), cancellationToken).ConfigureAwait(false);
        if (finished is not null)
            return finished;
        if (state.Events.Count == 0)
            throw new InputException($"{adapter}: no such adapter in the registry");
        return await WriteEventTagAsync(state, new GtoTagName(adapter, GtoAction.Deprecate, null, null, null), await Git.HeadAsync(cancellationToken).ConfigureAwait(false),
            new EventRecord(EventRecord.SchemaId, adapter, "deprecate", null, null, null, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The adapter's state after fetching the remote's tags, so counters and holders are current. A change this clone
    /// started and did not see pushed (<see cref="PendingChange"/>) is settled first: when it is the change
    /// <paramref name="asked"/> for, it is finished and returned; otherwise its unpushed tag is withdrawn.
    /// </summary>
    private async Task<(AdapterState State, StageChange? Finished)> FreshStateAsync(string adapter, PendingChange asked, CancellationToken cancellationToken)
    {
        var remote = await Git.DefaultRemoteAsync(cancellationToken).ConfigureAwait(false);
        var finished = await SettlePendingAsync(adapter, asked, remote, cancellationToken).ConfigureAwait(false);
        if (remote is not null)
            await Git.FetchTagsAsync(remote, cancellationToken).ConfigureAwait(false);
        return (await StateAsync(adapter, cancellationToken).ConfigureAwait(false), finished);
    }

    private async Task<StageChange?> SettlePendingAsync(string adapter, PendingChange asked, string? remote, CancellationToken cancellationToken)
    {
        if (await PendingChange.ReadAsync(Git, adapter, cancellationToken).ConfigureAwait(false) is not { } pending)
            return null;
        var local = (await Git.ListTagsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.Name == pending.Tag && t.Annotated);
        StageChange? finished = null;
        if (local is not null)
        {
            var mine = await Git.TagObjectAsync(pending.Tag, cancellationToken).ConfigureAwait(false);
            var there = remote is null ? mine : await Git.RemoteTagObjectAsync(remote, pending.Tag, cancellationToken).ConfigureAwait(false);
            var ours = pending.Matches(asked);
            if (there != mine && ours && there is null && await Git.TryPushTagAsync(remote!, pending.Tag, cancellationToken).ConfigureAwait(false))
                there = mine;
            if (there == mine && ours && JsonSerializer.Deserialize<EventRecord>(local.Message, RegistryDocumentJson.Indented) is { } record)
                finished = new StageChange(pending.Tag, adapter, record.Stage, record.Version, record.Replaces, remote);
            else if (there != mine)
                await Git.DeleteTagAsync(pending.Tag, cancellationToken).ConfigureAwait(false);
        }
        await PendingChange.ClearAsync(Git, adapter, cancellationToken).ConfigureAwait(false);
        return finished;
    }

    private async Task<StageChange> WriteEventTagAsync(AdapterState state, GtoTagName name, string commit, EventRecord record, CancellationToken cancellationToken)
    {
        await Git.RequireTaggerAsync(cancellationToken).ConfigureAwait(false);
        var counter = TagReader.LastCounter(await Git.ListTagsAsync(cancellationToken).ConfigureAwait(false), state.Adapter) + 1;
        var tag = (name with { Counter = counter }).ToString();
        var message = JsonSerializer.Serialize(record, RegistryDocumentJson.OneLine);
        await new PendingChange(record.Action, record.Version, record.Stage, tag).WriteAsync(Git, state.Adapter, cancellationToken).ConfigureAwait(false);
        if (!await Git.TryCreateTagAsync(tag, commit, message, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            throw new InputException($"{tag} was written by another run meanwhile; run the command again");
        FaultPoint.Reach(record.Action, "after-tag");
        var remote = await Git.DefaultRemoteAsync(cancellationToken).ConfigureAwait(false);
        if (remote is not null)
        {
            bool pushed;
            try
            {
                pushed = await Git.TryPushTagAsync(remote, tag, cancellationToken).ConfigureAwait(false);
            }
            catch (InfrastructureException)
            {
                await Git.DeleteTagAsync(tag, cancellationToken).ConfigureAwait(false);
                await PendingChange.ClearAsync(Git, state.Adapter, cancellationToken).ConfigureAwait(false);
                throw;
            }
            if (!pushed)
            {
                await Git.DeleteTagAsync(tag, cancellationToken).ConfigureAwait(false);
                await PendingChange.ClearAsync(Git, state.Adapter, cancellationToken).ConfigureAwait(false);
                throw new InputException($"{remote} refused {tag}: another change to {state.Adapter} was pushed meanwhile; run the command again");
            }
        }
        FaultPoint.Reach(record.Action, "after-push");
        await PendingChange.ClearAsync(Git, state.Adapter, cancellationToken).ConfigureAwait(false);
        return new StageChange(tag, state.Adapter, record.Stage, record.Version, record.Replaces, remote);
    }
}

/// <summary>A tag written by promote, rollback, deregister or deprecate; <see cref="Replaces"/> is the stage's previous holder.</summary>
public sealed record StageChange(string Tag, string Adapter, string? Stage, string? Version, string? Replaces, string? PushedTo);

/// <summary>
/// The JSON message of a stage, deregistration or deprecation tag. <see cref="Action"/> is
/// <c>promote</c>, <c>rollback</c>, <c>unassign</c>, <c>deregister</c> or <c>deprecate</c>; <see cref="Replaces"/> is the stage's previous holder.
/// </summary>
public sealed record EventRecord(string Schema, string Adapter, string Action, string? Version, string? Stage, string? Replaces, string? Reason)
{
    public const string SchemaId = "peftops.event/v1";
}
