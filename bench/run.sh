#!/usr/bin/env bash
# Runs every benchmark and prints one table: each figure, its target, pass/fail.
#   bench/run.sh            full run (about 10 minutes on 2 cores; needs a quiet machine to mean anything)
#   bench/run.sh --quick    harness smoke test: short runs, small sizes
# Other options are passed to the benchmark program: --only turn,health,fanout,startup  --no-postgres
#   --postgres "<connection string>"  --work DIR  --results FILE (default bench/results/latest.md)
# Installs what it needs: the baseline's npm packages (npm ci), PostgreSQL server binaries
# (scripts/install-prerequisites.sh postgres), and builds the app and the benchmarks in Release.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
args=("$@")
[[ " ${args[*]-} " == *" --results "* ]] || args+=(--results "$here/results/latest.md")

echo "== prerequisites"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then "$root/scripts/install-prerequisites.sh" node; fi
if [[ " ${args[*]} " != *" --no-postgres "* ]] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  "$root/scripts/install-prerequisites.sh" postgres
fi
(cd "$here/baseline" && npm ci --no-audit --no-fund --loglevel=error)

echo "== build (Release)"
# The benchmark project builds src/Engagements (Release) too; the startup benchmark runs that build as a process.
dotnet build "$here/Engagements.Bench.sln" -c Release --nologo -v quiet -clp:ErrorsOnly

echo "== run"
cd "$root"
exec dotnet "$here/Engagements.Benchmarks/bin/Release/net10.0/Engagements.Benchmarks.dll" "${args[@]}"
