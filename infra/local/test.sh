#!/usr/bin/env bash
# Runs every test against real RabbitMQ and PostgreSQL (brought up first) and the project's emulators.
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/local/up.sh
exec mvn -B verify "$@"
