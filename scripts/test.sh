#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"
export CHROMIUM_PATH
# The end-to-end tests' SMTP server (tests/e2e/support/mail.ts): Debian's python3-aiosmtpd.
bash scripts/ensure-smtp.sh >/dev/null
# PostgreSQL's server programs for the throwaway clusters of the PostgreSQL tests
# (scripts/pg-cluster.js): Debian's postgresql package.
PG_BIN="$(bash scripts/ensure-postgres.sh)"
export PG_BIN

echo "== typecheck"
npx react-router typegen
npx tsc

echo "== unit tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile=test-results/unit-results.json

echo "== production build"
npm run build

echo "== end-to-end tests (playwright, ${CHROMIUM_PATH})"
set +e
npx playwright test
e2e_status=$?

# Two app servers on one PostgreSQL under load for 30 s (ADR 0026 §2.10); needs the build above.
echo "== load test: two app servers on one PostgreSQL (scripts/load-pg.js)"
npm run --silent test:load-pg
load_status=$?
set -e

node scripts/test-summary.js
if [[ $e2e_status -ne 0 ]]; then exit $e2e_status; fi
exit $load_status
