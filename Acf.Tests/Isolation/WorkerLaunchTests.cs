namespace Acf.Tests.Isolation;

/// <summary>Which executable runs a worker or the broker: acf-helper (compiled ahead of time) when it is there.</summary>
public sealed class WorkerLaunchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acf-launch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Self_HelperInTheFolder_RunsTheHelperInThatMode()
    {
        File.WriteAllBytes(Path.Combine(_dir, WorkerLaunch.Helper), []);
        File.WriteAllBytes(Path.Combine(_dir, WorkerLaunch.Executable), []);

        var launch = WorkerLaunch.Self(ModuleWorker.Argument, _dir);

        Assert.Equal(Path.Combine(_dir, WorkerLaunch.Helper), launch.FileName);
        Assert.Equal([ModuleWorker.Argument], launch.Arguments);
    }

    [Fact]
    public void Self_NoHelper_RunsTheAppsOwnExecutable()
    {
        File.WriteAllBytes(Path.Combine(_dir, WorkerLaunch.Executable), []);

        var launch = WorkerLaunch.Self(ModuleWorker.Argument, _dir);

        Assert.Equal(Path.Combine(_dir, WorkerLaunch.Executable), launch.FileName);
        Assert.Equal([ModuleWorker.Argument], launch.Arguments);
    }

    [Fact]
    public void App_HelperInTheFolder_StillRunsTheApp()
    {
        File.WriteAllBytes(Path.Combine(_dir, WorkerLaunch.Helper), []);
        File.WriteAllBytes(Path.Combine(_dir, WorkerLaunch.Executable), []);

        Assert.Equal(Path.Combine(_dir, WorkerLaunch.Executable), WorkerLaunch.App("--contentRoot=/x", _dir).FileName);
    }
}
