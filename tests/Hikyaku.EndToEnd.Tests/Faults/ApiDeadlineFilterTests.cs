using System.Reflection;
using Hikyaku.Silo.Faults;
using Microsoft.Extensions.Time.Testing;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Hikyaku.EndToEnd.Tests.Faults;

/// <summary>The called grain's side of the API deadline: a call that arrives too late is not run.</summary>
public sealed class ApiDeadlineFilterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_call_that_reaches_its_grain_after_the_API_deadline_is_refused_without_running()
    {
        var call = new Call();
        RequestContext.Set(ApiDeadlineFilters.DeadlineKey, _time.GetUtcNow().AddSeconds(-1).UtcTicks);

        await Assert.ThrowsAsync<TimeoutException>(() => new ApiDeadlineFilters(_time).Invoke(call));

        Assert.False(call.Ran);
    }

    [Fact]
    public async Task A_call_in_time_runs_and_does_not_pass_the_deadline_on_to_the_calls_its_grain_makes()
    {
        var call = new Call();
        RequestContext.Set(ApiDeadlineFilters.DeadlineKey, _time.GetUtcNow().AddSeconds(1).UtcTicks);

        await new ApiDeadlineFilters(_time).Invoke(call);

        Assert.True(call.Ran);
        Assert.Null(call.DeadlineSeenByGrain);
    }

    [Fact]
    public async Task A_call_without_a_deadline_runs_whenever_it_arrives()
    {
        var call = new Call();

        await new ApiDeadlineFilters(_time).Invoke(call);

        Assert.True(call.Ran);
    }

    private sealed class Call : IIncomingGrainCallContext
    {
        public bool Ran { get; private set; }

        public object? DeadlineSeenByGrain { get; private set; }

        public Task Invoke()
        {
            Ran = true;
            DeadlineSeenByGrain = RequestContext.Get(ApiDeadlineFilters.DeadlineKey);
            return Task.CompletedTask;
        }

        public string InterfaceName => "Hikyaku.Contracts.Grains.ISubscriberGrain";
        public string MethodName => "Subscribe";
        public IInvokable Request => throw new NotSupportedException();
        public object Grain => throw new NotSupportedException();
        public GrainId? SourceId => null;
        public GrainId TargetId => default;
        public GrainInterfaceType InterfaceType => default;
        public MethodInfo InterfaceMethod => throw new NotSupportedException();
        public object? Result { get; set; }
        public Response? Response { get; set; }
        public IGrainContext TargetContext => throw new NotSupportedException();
        public MethodInfo ImplementationMethod => throw new NotSupportedException();
    }
}

/// <summary>The HTTP side of the API deadline: which limit a request's grain calls get.</summary>
public sealed class ApiDeadlineTests
{
    [Fact]
    public async Task A_request_gets_the_configured_limit_unless_its_endpoint_sets_its_own()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), await LimitSeenBy(endpointLimit: null));
        Assert.Equal(TimeSpan.FromSeconds(60), await LimitSeenBy(endpointLimit: TimeSpan.FromSeconds(60)));
        Assert.Null(ApiDeadline.Limit);
    }

    private static async Task<TimeSpan?> LimitSeenBy(TimeSpan? endpointLimit)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var metadata = endpointLimit is { } own ? new Microsoft.AspNetCore.Http.EndpointMetadataCollection(new ApiDeadlineMetadata(own)) : null;
        Microsoft.AspNetCore.Http.EndpointHttpContextExtensions.SetEndpoint(context, new Microsoft.AspNetCore.Http.Endpoint(_ => Task.CompletedTask, metadata, "test"));
        TimeSpan? seen = null;
        await ApiDeadline.RunAsync(context, _ =>
        {
            seen = ApiDeadline.Limit;
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(4));
        return seen;
    }
}
