#!/usr/bin/env bash
# Browser tests of the Telegram emulator's chat page with Debian's Chromium and playwright-core:
#   webchat.test.mjs      the page itself, against a scripted bot (starts and stops the emulator itself)
#   real-system.test.mjs  the real product: infra/local/run.sh --no-build (own vhost, database and ports), a seller
#                         short of credits picks a model, tops up with Stars, gets the kept order back and plays the
#                         videos (needs the service jars: test.sh builds them first)
# Installs what is missing (chromium and an emoji font from Debian's packages, the npm packages from the lock file),
# builds the emulator launcher only if its jar is missing. Arguments choose test files (default: both).
# Screenshots land in screenshots/ (not committed). Bounded: the whole run is stopped after 600 s.
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

tests=("$@")
(( ${#tests[@]} )) || tests=(webchat.test.mjs real-system.test.mjs)
# one file at a time: two cores, and each file starts Java processes of its own
exec timeout -k 20 600 node --test --test-concurrency=1 --test-timeout=500000 --test-reporter=spec "${tests[@]}"
