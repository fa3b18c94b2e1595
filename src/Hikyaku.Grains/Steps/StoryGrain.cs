using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Storage;
using Orleans.Concurrency;

namespace Hikyaku.Grains.Steps;

/// <summary>A step story as lanes see it: its content comes from the magazine's sequence, its results go to the scheduler.</summary>
[StatelessWorker]
public sealed class StoryGrain(StepSequences sequences) : Grain, IStoryGrain
{
    private (string TenantId, string MagazineId, string StoryId) Key => GrainKeys.SplitReader(this.GetPrimaryKeyString());

    public async Task<MailContentView?> GetContent()
    {
        var (tenant, magazineId, storyId) = Key;
        var magazine = GrainFactory.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenant, magazineId));
        var view = await magazine.Get();
        // The silo's copy of the sequence may be from just before the story was added: then the magazine's own word.
        var story = (await sequences.Get(tenant, magazineId)).FirstOrDefault(s => s.Id == storyId)
            ?? (await magazine.GetSteps())?.FirstOrDefault(s => s.Id == storyId);
        return view is null || story is null
            ? null
            : new MailContentView(tenant, magazineId, MessageKey.Story(storyId), view.FromAddress, view.FromName, story.Subject, story.TextBody ?? string.Empty, story.HtmlBody);
    }

    public Task RecordResults(IReadOnlyList<RecipientResult> results)
    {
        var (tenant, magazineId, storyId) = Key;
        return GrainFactory.GetGrain<IStepSchedulerGrain>(GrainKeys.Magazine(tenant, magazineId)).StoryResults(storyId, results);
    }
}
