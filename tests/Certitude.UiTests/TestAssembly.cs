// One browser test at a time: each starts a server and a Chromium, and two of those side by side on a 2-core machine
// (already busy with builds) stall pages long enough to make waits flaky, for little time saved.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
