namespace Acf.Tests.Isolation;

/// <summary>Which executable runs a worker or the broker: acf-helper (compiled ahead of time) when it is there.</summary>
public sealed class WorkerLaunchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acf-launch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Empty files of these names in the app's folder, where a publish puts them.</summary>
    private void Place(params string[] names)
    {
        foreach (var name in names) File.WriteAllBytes(Path.Combine(_dir, name), []);
    }

    [Fact]
    public void Self_HelperInTheFolder_RunsTheHelperInThatMode()
    {
        Place(WorkerLaunch.Helper, WorkerLaunch.Executable);

        var launch = WorkerLaunch.Self(ModuleWorker.Argument, _dir);

        Assert.Equal(Path.Combine(_dir, WorkerLaunch.Helper), launch.FileName);
        Assert.Equal([ModuleWorker.Argument], launch.Arguments);
    }

    [Fact]
    public void Self_NoHelper_RunsTheAppsOwnExecutable()
    {
        Place(WorkerLaunch.Executable);

        var launch = WorkerLaunch.Self(ModuleWorker.Argument, _dir);

        Assert.Equal(Path.Combine(_dir, WorkerLaunch.Executable), launch.FileName);
        Assert.Equal([ModuleWorker.Argument], launch.Arguments);
    }

    [Fact]
    public void App_HelperInTheFolder_StillRunsTheApp()
    {
        Place(WorkerLaunch.Helper, WorkerLaunch.Executable);

        Assert.Equal(Path.Combine(_dir, WorkerLaunch.Executable), WorkerLaunch.App("--contentRoot=/x", _dir).FileName);
    }
}
