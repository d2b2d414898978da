#!/usr/bin/env bash
# scripts/bench-node-versions.sh MAJOR [SUITE …]: the benchmark suites (default raise files
# trace) on this machine's Node, then on Node MAJOR (through .ci/run-on-node), in one run, and
# a markdown table of both side by side for docs/benchmarks.md.
set -euo pipefail
major=${1:?usage: scripts/bench-node-versions.sh MAJOR [SUITE …]}
shift
suites=${*:-raise files trace}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/herald-bench-XXXXXX")
trap 'rm -rf "$out"' EXIT

cd "$root"
# shellcheck disable=SC2086 # suite names are words
node --import tsx bench/run.ts $suites --json > "$out/here.json"
.ci/run-on-node "$major" sh -c "node --import tsx bench/run.ts $suites --json > '$out/other.json'"
node scripts/bench-compare.mjs "$out/here.json" "$out/other.json"
