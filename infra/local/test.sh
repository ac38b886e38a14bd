#!/usr/bin/env bash
# Runs every test: the Maven build's unit, integration (real RabbitMQ and PostgreSQL), crash and end-to-end tests,
# then the browser tests (Debian's Chromium + playwright-core, installed if missing): the Telegram emulator's chat page
# against a scripted bot, and a seller using the real product through that page, started with `run.sh --no-build`
# on the jars this build has just made. RabbitMQ and PostgreSQL are brought up first.
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/local/up.sh
# -T 2: modules that do not depend on each other are built and tested side by side (each test class has its own
# vhost, database and ports); most of the suite waits on delay tiers and renders, not on the CPU.
mvn -B -T 2 verify "$@"
infra/webchat-test/run.sh
