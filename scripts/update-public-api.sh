#!/usr/bin/env bash
# Rewrites each library's PublicAPI.Unshipped.txt from its current public surface (the build fails with RS0016/RS0017
# when the surface and the files disagree). Review the diff: it is the API change.
#   scripts/update-public-api.sh [src/HgCounter.X ...]
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
((${#projects[@]})) || projects=(src/HgCounter.*/)
for dir in "${projects[@]}"; do
  dir=${dir%/}
  printf '#nullable enable\n' >"$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$dir/$(basename "$dir").csproj" --diagnostics RS0016 --severity info -v q
  # Shipped entries stay in Shipped.txt; one sorted list keeps diffs small.
  { head -n 1 "$dir/PublicAPI.Unshipped.txt"; tail -n +2 "$dir/PublicAPI.Unshipped.txt" | LC_ALL=C sort -u; } >"$dir/PublicAPI.Unshipped.txt.tmp"
  mv "$dir/PublicAPI.Unshipped.txt.tmp" "$dir/PublicAPI.Unshipped.txt"
  echo "$dir: $(($(wc -l <"$dir/PublicAPI.Unshipped.txt") - 1)) unshipped symbols"
done
