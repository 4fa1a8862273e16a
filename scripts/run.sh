#!/usr/bin/env bash
# The one entry point: installs what the system needs (idempotent), then runs the demo, the tests or the benchmarks.
#   scripts/run.sh demo [sample args]   count the embedded demo scene with the console sample
#   scripts/run.sh test                 build and run every test (what CI runs)
#   scripts/run.sh bench [args]         run the benchmarks (see docs/performance.md)
#   scripts/run.sh bootstrap            only install the system packages
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: libgtk-3-0 for OpenCvSharp's Linux runtime, ffmpeg for network streams, GStreamer's RTSP server and
# PostgreSQL and mosquitto (openssl for its test certificates) for the integration tests, opencv-doc for the real pedestrian clip, chromium for the dashboard test.
APT_PACKAGES=(
  libgtk-3-0 ffmpeg
  python3 python3-gi gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  postgresql mosquitto mosquitto-clients openssl opencv-doc chromium chromium-driver procps iproute2 util-linux
)

bootstrap() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "bootstrap: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

run_tests() {
  dotnet build HgCounter.sln -c Release -nologo -v q
  local log
  log=$(mktemp)
  set +e
  # Test assemblies do NOT run in parallel: -m:1 runs one test assembly at a time (the real-model and fault suites each
  # load the two cores, and the fault suite's real-time figures mean more alone). Isolation does not depend on it: every
  # test owns its servers (kernel-picked ports), temporary directories and cgroup, and checks only its own children;
  # inside an assembly, xunit's parallelisation is off where tests measure the whole process (FaultTests/AssemblyInfo.cs).
  dotnet test HgCounter.sln -c Release --no-build -nologo -m:1 --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  # One closing line over all test assemblies.
  awk '/(Passed|Failed)! +- +Failed: /{gsub(",","");f+=$4;p+=$6;s+=$8} END{printf "Total: %d passed, %d failed, %d skipped\n", p, f, s}' "$log"
  rm -f "$log"
  # Benchmarks quick mode (one cold run of every benchmark, in-process): they must keep building and running.
  if [ "$rc" -eq 0 ]; then
    local bench
    bench=$(mktemp -d)
    if dotnet run -c Release --no-build --project benchmarks/HgCounter.Benchmarks -- --filter '*' --job dry --inProcess \
      --artifacts "$bench" >"$bench/out.log" 2>&1; then
      echo "Benchmarks quick mode: passed"; rm -rf "$bench"
    else
      tail -n 60 "$bench/out.log"; echo "Benchmarks quick mode: FAILED (log: $bench/out.log)"; rc=1
    fi
  fi
  return "$rc"
}

cmd=${1:-help}
shift || true
case "$cmd" in
  bootstrap) bootstrap ;;
  demo) bootstrap; exec dotnet run --project samples/HgCounter.ConsoleSample -c Release -- "$@" ;;
  test) bootstrap; run_tests "$@" ;;
  bench) bootstrap; exec dotnet run --project benchmarks/HgCounter.Benchmarks -c Release -- "$@" ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
