// The fault scenarios start real servers, ffmpeg processes and PostgreSQL on a 2-core machine: one at a time, so that
// their timing figures mean something and one test's load does not make another's bounds fail.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
