#!/usr/bin/env bash
# Runs every test: the Maven build's unit, integration (real RabbitMQ and PostgreSQL), crash and end-to-end tests,
# then the browser tests (Debian's Chromium + playwright-core, installed if missing): the Telegram emulator's chat page
# against a scripted bot, and a seller using the real product through that page, started with `run.sh --no-build`
# on the jars this build has just made. RabbitMQ and PostgreSQL are brought up first.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Connection budget (README, "Connection budget"): the suite's worst-case peak of PostgreSQL connections, with the
# parallelism below. Every service process a test starts has DB_POOL_MAX_SIZE=4 reactive connections plus Flyway's 2
# JDBC ones (6), a gateway or pipeline one more for its Telegram sends (DB_SENDS_POOL_MAX_SIZE=1); a Quarkus test
# application the same (%test pools); a test helper holds at most one JDBC connection at a time. At the peak, the
# end-to-end module runs ScaledOutIT's system (2 gateways + 3 pipelines + 2 billings: 7 x 6 + 5 = 47, plus 1 test
# helper) beside another system (3 x 6 + 2 + 1 = 21) while the CLI module's trace/replay test runs billing and the
# pipeline (2 x 6 + 1 + 1 = 14): 83; should ChaosShortIT's system (5 x 6 + 4 + 1 = 35) run beside ScaledOutIT's
# instead of a one-of-each system (21), 97. Before that, two modules' Quarkus test applications (2 x 7, the pipeline's
# in two forks: 3 x 7) with their service processes and helpers stay below it. Measured on a fresh machine: see the
# README. PostgreSQL's default max_connections is 100 (3 reserved for superusers): 97 fits exactly.
SUITE_DB_CONNECTIONS=97
infra/local/up.sh --connections "$SUITE_DB_CONNECTIONS"
# -T 2: modules that do not depend on each other are built and tested side by side (each test class has its own
# vhost, database and ports); most of the suite waits on delay tiers and renders, not on the CPU.
mvn -B -T 2 verify "$@"
infra/webchat-test/run.sh
