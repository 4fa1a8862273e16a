// One fault test at a time, inside this assembly, whether or not other test assemblies run beside it (scripts/run.sh):
// - the leak, churn and soak tests measure the whole test process (open descriptors, threads, resident memory, managed
//   heap) and would count another test's ffmpeg pipes, sockets and threads as their own leak;
// - the real-time scenarios (stalls, reconnects, CPU and memory pressure) assert rates and bounds that a second agent
//   loading the same two cores would blur.
// Everything else a test uses is its own: servers on ports the kernel picks, temporary directories with a GUID, its own
// cgroup, and process-table checks that look only for its own ports and directories.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
