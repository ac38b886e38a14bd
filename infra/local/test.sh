#!/usr/bin/env bash
# Runs every test: the Maven build's unit, integration (real RabbitMQ and PostgreSQL), crash and end-to-end tests,
# then the browser tests (Debian's Chromium + playwright-core, installed if missing): the Telegram emulator's chat page
# against a scripted bot, and a seller using the real product through that page, started with `run.sh --no-build`
# on the jars this build has just made. RabbitMQ and PostgreSQL are brought up first.
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/local/up.sh
mvn -B verify "$@"
infra/webchat-test/run.sh
