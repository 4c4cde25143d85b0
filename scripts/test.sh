#!/usr/bin/env bash
# README command 2: the whole test suite. Installs what it needs, starts a throwaway PostgreSQL cluster on loopback
# for the tests that need one, runs every test project, prints counts per area, and stops the cluster.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/install-prerequisites.sh" postgres node chromium

work=$(mktemp -d /tmp/engagements-test.XXXXXX)
cleanup() { "$root/scripts/postgres.sh" stop "$work/pg" || true; rm -rf "$work"; }
trap cleanup EXIT

echo "Starting a throwaway PostgreSQL cluster on loopback..."
ENGAGEMENTS_TEST_POSTGRES=$("$root/scripts/postgres.sh" start "$work/pg")
export ENGAGEMENTS_TEST_POSTGRES
# The Postgres, Playground and browser tests fail (not skip) when their server or browser is missing; this says it is there on purpose.
export ENGAGEMENTS_REQUIRE_ALL_TESTS=1

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
dotnet test "$root/Engagements.sln" --nologo -c Release \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

python3 "$root/scripts/summarize-trx.py" "$results" || status=1
exit $status
