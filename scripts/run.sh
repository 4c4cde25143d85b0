#!/usr/bin/env bash
# README command 1: the bot on the embedded SQLite database with demo data, and the Microsoft 365 Agents Playground
# (a Teams emulator) pointed at it. Ctrl-C stops both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bot_port=${BOT_PORT:-3978}
playground_port=${PLAYGROUND_PORT:-56150}

"$root/scripts/install-prerequisites.sh" node
dotnet build "$root/src/Engagements" -c Debug --nologo -v quiet

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

# Development + loopback + no app id is the only combination in which the bot accepts unauthenticated traffic.
ASPNETCORE_ENVIRONMENT=Development dotnet run --no-build --project "$root/src/Engagements" -- \
  --demo --urls "http://127.0.0.1:$bot_port" &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$bot_port/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$bot_port/readyz" >/dev/null || { echo "The bot did not become ready on port $bot_port" >&2; exit 1; }

# The Playground reads its mock Teams context (users, team, channels) from the working directory. It silently takes
# another port when the asked one is busy, so the port is read from what it prints.
playground_log="$root/playground/playground.out"
(cd "$root/playground" && TEAMSAPPTESTER_BROWSER=none AUTH_CLIENT_ID= AUTH_CLIENT_SECRET= \
  M365_AGENTS_PLAYGROUND_LOGFILE="$root/playground/playground.log" \
  exec "$root/tests/e2e/node_modules/.bin/agentsplayground" -e "http://127.0.0.1:$bot_port/api/messages" \
  -c msteams -p "$playground_port" --dt) >"$playground_log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  port=$(sed -n 's/.*Listening on \([0-9]*\).*/\1/p' "$playground_log" | head -n1)
  [ -n "$port" ] && curl -fs "http://localhost:$port/_debug/ping" >/dev/null 2>&1 && break
  sleep 0.5
done
[ -n "${port:-}" ] || { echo "The Agents Playground did not start:" >&2; cat "$playground_log" >&2; exit 1; }

echo
echo "Engagements is running on http://127.0.0.1:$bot_port (SQLite, demo data)."
echo "Open the Agents Playground: http://localhost:$port  — try: help, status Contoso, board, my work"
wait -n "${pids[@]}"
