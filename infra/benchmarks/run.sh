#!/usr/bin/env bash
# Runs the JMH microbenchmarks and writes infra/benchmarks/target/jmh-report.txt (and .json). Extra arguments go to
# JMH (e.g. `-f 2 -i 10` for tighter errors; 2 shared cores give wide ones).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f infra/benchmarks/target/benchmarks.jar || "${BUILD:-}" == 1 ]]; then
  mvn -B -q -pl infra/benchmarks -am install -DskipTests
fi
cd infra/benchmarks
java -jar target/benchmarks.jar -rf json -rff target/jmh-report.json "$@" | tee target/jmh-report.txt
echo "Report: infra/benchmarks/target/jmh-report.txt"
