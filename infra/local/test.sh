#!/usr/bin/env bash
# Runs every test: the Maven build's unit, integration (real RabbitMQ and PostgreSQL), crash and end-to-end tests,
# then the browser test of the Telegram emulator's chat page (Debian's Chromium + playwright-core, installed if
# missing). RabbitMQ and PostgreSQL are brought up first.
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/local/up.sh
mvn -B verify "$@"
infra/webchat-test/run.sh
