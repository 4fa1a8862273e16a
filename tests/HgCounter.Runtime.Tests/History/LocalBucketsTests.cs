using HgCounter.Runtime.History;

namespace HgCounter.Runtime.Tests.History;

public sealed class LocalBucketsTests
{
    private static readonly LocalBuckets Berlin = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

    [Theory]
    [InlineData(2026, 3, 29, 23)]
    [InlineData(2026, 10, 25, 25)]
    [InlineData(2026, 12, 3, 24)]
    public void Hour_BerlinDay_HasAsManyHourlyBucketsAsTheDayHasHours(int year, int month, int day, int hours)
    {
        var start = Berlin.Start(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero), CountBucketSize.Day);
        var end = Berlin.End(start, CountBucketSize.Day);
        var buckets = new List<DateTimeOffset>();
        for (var at = start; at < end; at = Berlin.End(at, CountBucketSize.Hour))
        {
            Berlin.Start(at, CountBucketSize.Hour).Should().Be(at);
            buckets.Add(at);
        }

        buckets.Should().HaveCount(hours).And.OnlyHaveUniqueItems();
        (end - start).Should().Be(TimeSpan.FromHours(hours));
        Berlin.ToLocal(start).TimeOfDay.Should().Be(TimeSpan.Zero, "a day starts at local midnight");
    }
}
