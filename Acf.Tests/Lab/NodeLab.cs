namespace Acf.Tests.Lab;

/// <summary>
/// A class fixture of namespace nodes with Acf managing one of them: the network the nodes start on, Acf for that
/// node, and a Dispose that stops Acf and every node, also when the set-up failed half way (then before xUnit sees the
/// failure). A lab's constructor calls <see cref="Start"/> once.
/// </summary>
public abstract class NodeLab : IDisposable
{
    protected LabNetwork Network { get; } = new();

    public AcfAppFactory Acf { get; private set; } = null!;

    /// <summary>The last change Acf kept or rolled back (its confirm-or-rollback guard records a rollback once every
    /// step has run, and lists the steps that failed).</summary>
    public Acf.Modules.Apply.SettledApply? LastSettled => LabAcf.LastSettled(Acf);

    /// <summary>
    /// Runs <paramref name="setUp"/>, which starts the nodes on <see cref="Network"/> and answers the one Acf manages,
    /// then makes Acf for that node (with <paramref name="confirmSeconds"/> of countdown when given). A set-up that
    /// throws stops every node it started.
    /// </summary>
    protected void Start(Func<LabNode> setUp, int? confirmSeconds = null)
    {
        try
        {
            Acf = LabAcf.For(setUp(), confirmSeconds);
        }
        catch
        {
            Network.Dispose();
            throw;
        }
    }

    /// <summary>Two nodes linked by <c>eth1</c>, each end with its address on a /24.</summary>
    protected (LabNode A, LabNode B) LinkedPair(string aRole, string aAddress, string bRole, string bAddress)
    {
        var a = Network.Node(aRole);
        var b = Network.Node(bRole);
        Network.Link(a, "eth1", aAddress + "/24", b, "eth1", bAddress + "/24");
        return (a, b);
    }

    public virtual void Dispose()
    {
        Acf?.Dispose();
        Network.Dispose();
    }
}
