using BenchmarkDotNet.Running;

namespace Karibu.Bench;

internal static class BenchProgram
{
    private static async Task Main(string[] args)
    {
        if (args.FirstOrDefault() == "booking-throughput")
        {
            await BookingThroughput.RunAsync(args);
            return;
        }

        if (args.FirstOrDefault() == "webhook-ingest")
        {
            await WebhookIngest.RunAsync(args);
            return;
        }

        if (args.FirstOrDefault() == "due-reminders")
        {
            await DueReminders.RunAsync(args);
            return;
        }

        if (args.FirstOrDefault() == "guided-turn")
        {
            await GuidedTurn.RunAsync(args);
            return;
        }

        if (args.FirstOrDefault() == "page-weight")
        {
            await PageWeight.RunAsync(args);
            return;
        }

        if (args.FirstOrDefault() == "bare-server")
        {
            await BareServer.RunAsync(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
    }
}
