namespace Certitude.Features.Organization;

/// <summary>The division tree in memory (organizations have tens to thousands of divisions, not millions).</summary>
public sealed class DivisionTree
{
    private readonly Dictionary<long, Division> _byId;
    private readonly ILookup<long?, Division> _children;

    public DivisionTree(IEnumerable<Division> divisions)
    {
        _byId = divisions.ToDictionary(d => d.Id);
        _children = _byId.Values.ToLookup(d => d.ParentId);
        Root = _children[null].OrderBy(d => d.Id).FirstOrDefault();
    }

    public Division? Root { get; }

    public IReadOnlyCollection<Division> All => _byId.Values;

    public Division? Find(long id) => _byId.GetValueOrDefault(id);

    public IEnumerable<Division> ChildrenOf(long id) => _children[id];

    /// <summary>The division and everything below it.</summary>
    public IEnumerable<long> SubtreeOf(long id)
    {
        var pending = new Stack<long>();
        pending.Push(id);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            foreach (var child in _children[current])
            {
                pending.Push(child.Id);
            }
        }
    }

    /// <summary>From the division up to the root.</summary>
    public IEnumerable<Division> PathToRoot(long id)
    {
        var seen = new HashSet<long>();
        for (var current = Find(id); current is not null && seen.Add(current.Id); current = current.ParentId is { } parent ? Find(parent) : null)
        {
            yield return current;
        }
    }

    /// <summary>"Organization / Europe / Payments".</summary>
    public string PathName(long id) => string.Join(" / ", PathToRoot(id).Reverse().Select(d => d.Name));

    /// <summary>The first policy set on the way up; one approver when none is.</summary>
    public ApprovalPolicy EffectiveApprovalPolicy(long id) =>
        PathToRoot(id).Select(d => d.ApprovalPolicy).FirstOrDefault(p => p is not null) ?? ApprovalPolicy.OneApprover;
}
