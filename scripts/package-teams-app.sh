#!/usr/bin/env bash
# Builds the Teams app package artifacts/engagements-teams-app.zip: manifest/manifest.json with the real ids and host
# filled in, plus manifest/color.png and manifest/outline.png, all at the zip root.
#
#   BOT_APP_ID=<guid> PUBLIC_HOST=bot.contoso.com scripts/package-teams-app.sh
#
# The bot id comes from --bot-id, BOT_APP_ID or Bot__AppId (the app's own Bot:AppId setting); the Teams app id from
# --app-id or TEAMS_APP_ID (default: the bot id); the public host from --host or PUBLIC_HOST; an optional
# --version/TEAMS_APP_VERSION overrides manifest.json's version (Teams only accepts an update with a higher one).
# Exit codes: 0 built, 2 missing or invalid settings, 1 anything else (including a manifest that fails the schema).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

bot_id=${BOT_APP_ID:-${Bot__AppId:-}}
if [ -n "${BOT_APP_ID:-}" ] && [ -n "${Bot__AppId:-}" ] && [ "$BOT_APP_ID" != "$Bot__AppId" ]; then
  echo "BOT_APP_ID ($BOT_APP_ID) and Bot__AppId ($Bot__AppId) disagree; set one of them" >&2
  exit 2
fi
app_id=${TEAMS_APP_ID:-}
host=${PUBLIC_HOST:-}
version=${TEAMS_APP_VERSION:-}
output="$root/artifacts/engagements-teams-app.zip"

while [ $# -gt 0 ]; do
  case "$1" in
    --bot-id|--app-id|--host|--version|--output) [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; } ;;
  esac
  case "$1" in
    --bot-id) bot_id=$2; shift 2 ;;
    --app-id) app_id=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

exec python3 "$root/scripts/package-teams-app.py" \
  --manifest-dir "$root/manifest" \
  --validator "$root/tests/e2e/manifest/validate.mjs" \
  --bot-id "$bot_id" --app-id "$app_id" --host "$host" --version "$version" --output "$output"
