using Acf.Bench;

// scripts/bench.sh runs this after publishing the app: bench <published app folder> <repository> <report.md> [--quick]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Acf.Bench <published app folder> <repository root> <report.md> [--quick] [--port N] [--in-process]");
    return 2;
}
var options = new BenchOptions(Path.GetFullPath(args[0]), Path.GetFullPath(args[1]), Path.GetFullPath(args[2]),
    args.Contains("--quick"), args.SkipWhile(a => a != "--port").Skip(1).Select(int.Parse).FirstOrDefault(5108), args.Contains("--in-process"));
return await Bench.RunAsync(options);
