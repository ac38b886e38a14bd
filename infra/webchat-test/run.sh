#!/usr/bin/env bash
# End-to-end test of the Telegram emulator's browser chat page with Debian's Chromium and playwright-core.
# Installs what is missing (chromium and an emoji font from Debian's packages, the npm packages from the lock file),
# builds the emulator launcher only if its jar is missing, then runs the test (which starts and stops the emulator itself).
# Screenshots land in screenshots/ (not committed). Bounded: the whole test is stopped after 110 s.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# Debian packages: the browser, and a colour emoji font for the bot's emoji (without it only screenshots suffer).
missing=()
if ! command -v chromium >/dev/null 2>&1 && [[ -z "${CHROMIUM_PATH:-}" ]]; then
  missing+=(chromium)
fi
if ! fc-list 2>/dev/null | grep -qi 'emoji'; then
  missing+=(fonts-noto-color-emoji)
fi
if (( ${#missing[@]} )); then
  echo "[webchat] installing from Debian's packages: ${missing[*]}"
  if [[ "$(id -u)" == 0 ]]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

if [[ ! -f "$repo/infra/emulators/target/emulators.jar" ]]; then
  echo "[webchat] building the emulator launcher"
  (cd "$repo" && mvn -B -q -pl infra/emulators -am install -DskipTests)
fi

cd "$here"
wanted="$(node -p "require('./package.json').devDependencies['playwright-core']")"
installed="$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch { '' }")"
if [[ "$installed" != "$wanted" ]]; then
  echo "[webchat] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The lock file must name no registry host; strip any "resolved" URL an npm version may have written.
if grep -q '"resolved"' package-lock.json; then
  sed -i '/"resolved": /d' package-lock.json
fi

exec timeout -k 5 110 node --test --test-timeout=100000 --test-reporter=spec webchat.test.mjs
