#!/usr/bin/env bash
# Installs what the two README commands need on a fresh Debian machine; each step is skipped when already present.
# Usage: install-prerequisites.sh [postgres] [node] [chromium]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
need_apt=()
for want in "$@"; do
  case "$want" in
    postgres) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql) ;;
    node) command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm) ;;
    chromium) [ -x /usr/bin/chromium ] || need_apt+=(chromium)
      # Cards show ✅ ❌ ⛔; without a colour emoji font the screenshots draw empty boxes.
      [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need_apt+=(fonts-noto-color-emoji) ;;
  esac
done
if [ ${#need_apt[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "Missing Debian packages: ${need_apt[*]} (run as root, or install them)" >&2; exit 1; }
  echo "Installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  # Debian's postgresql package starts a cluster on 5432; the tests use their own throwaway cluster instead.
  if [[ " ${need_apt[*]} " == *" postgresql "* ]]; then service postgresql stop >/dev/null 2>&1 || true; fi
fi
for want in "$@"; do
  if [ "$want" = node ] && [ ! -d "$root/tests/e2e/node_modules" ] || [ "$want" = node ] && [ "$root/tests/e2e/package-lock.json" -nt "$root/tests/e2e/node_modules/.package-lock.json" ]; then
    (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
