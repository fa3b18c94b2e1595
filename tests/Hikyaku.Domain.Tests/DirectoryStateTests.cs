using Hikyaku.Contracts.Events;
using Hikyaku.Domain.Directories;

namespace Hikyaku.Domain.Tests;

public class DirectoryStateTests
{
    private static DirectoryState With(params string[] ids)
    {
        var state = new DirectoryState();
        foreach (var id in ids)
        {
            state.Apply(new DirectoryEntryAdded(Guid.NewGuid(), DateTimeOffset.UnixEpoch, id));
        }

        return state;
    }

    [Fact]
    public void Ids_are_kept_once_in_ordinal_order_whatever_order_they_came_in()
    {
        var state = With("news", "Alpha", "beta", "news", "a_1");

        Assert.Equal(["Alpha", "a_1", "beta", "news"], state.Page(null, 10));
        Assert.True(state.Contains("beta"));
        Assert.False(state.Contains("gamma"));
    }

    [Fact]
    public void A_page_resumes_after_the_cursor_even_when_that_id_is_not_listed()
    {
        var state = With("a", "b", "c", "d", "e");

        Assert.Equal(["a", "b"], state.Page(null, 2));
        Assert.Equal(["c", "d"], state.Page("b", 2));
        Assert.Equal(["e"], state.Page("d", 2));
        Assert.Empty(state.Page("e", 2));
        Assert.Equal(["c", "d", "e"], state.Page("bb", 10));
        Assert.Empty(state.Page("z", 10));
    }
}
