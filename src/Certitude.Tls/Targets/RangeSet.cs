namespace Certitude.Tls.Targets;

/// <summary>Set arithmetic on address ranges: union into disjoint ranges, then subtraction of exclusions.</summary>
internal static class RangeSet
{
    /// <summary>Disjoint, sorted ranges covering exactly the addresses of <paramref name="ranges"/> minus <paramref name="exclusions"/>.</summary>
    public static List<AddressRange> Normalize(IEnumerable<AddressRange> ranges, IReadOnlyList<AddressRange> exclusions)
    {
        var result = new List<AddressRange>();
        foreach (var family in ranges.GroupBy(r => r.Family))
        {
            var merged = Merge(family);
            var cuts = Merge(exclusions.Where(e => e.Family == family.Key));
            result.AddRange(Subtract(merged, cuts));
        }

        return result;
    }

    private static List<AddressRange> Merge(IEnumerable<AddressRange> ranges)
    {
        var merged = new List<AddressRange>();
        foreach (var range in ranges.OrderBy(r => r.First))
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || merged[^1].Last + 1 >= range.First))
            {
                var last = merged[^1];
                if (range.Last > last.Last)
                {
                    merged[^1] = Make(last, last.First, range.Last);
                }
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static IEnumerable<AddressRange> Subtract(List<AddressRange> ranges, List<AddressRange> cuts)
    {
        foreach (var range in ranges)
        {
            var start = range.First;
            var done = false;
            foreach (var cut in cuts)
            {
                if (cut.Last < start || cut.First > range.Last)
                {
                    continue;
                }

                if (cut.First > start)
                {
                    yield return Make(range, start, cut.First - 1);
                }

                if (cut.Last >= range.Last)
                {
                    done = true;
                    break;
                }

                start = cut.Last + 1;
            }

            if (!done)
            {
                yield return Make(range, start, range.Last);
            }
        }
    }

    private static AddressRange Make(AddressRange like, UInt128 first, UInt128 last) =>
        AddressRange.Between(AddressRange.ToAddress(like.Family, first), AddressRange.ToAddress(like.Family, last));
}
