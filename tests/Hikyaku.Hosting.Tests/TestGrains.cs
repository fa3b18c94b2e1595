using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Hikyaku.Hosting.Tests;

[Alias("Hikyaku.Hosting.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task<int> Add(int amount);

    [Alias("Get")]
    Task<int> Get();
}

[GenerateSerializer, Alias("Hikyaku.Hosting.Tests.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }
}

/// <summary>Keeps its value in the default grain storage.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> Add(int amount)
    {
        state.State.Value += amount;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);
}

[Alias("Hikyaku.Hosting.Tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(TimeSpan period);

    [Alias("IsRegistered")]
    Task<bool> IsRegistered();
}

/// <summary>Counts its reminder ticks in a static table, so a test sees ticks from any silo in the process.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public static ConcurrentDictionary<string, int> Ticks { get; } = new();

    public Task Register(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task<bool> IsRegistered() => await this.GetReminder(ReminderName) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
