#!/usr/bin/env bash
# One command: set everything up and run the whole test suite.
#   scripts/test.sh               SQLite (default)
#   scripts/test.sh --postgres    a throwaway PostgreSQL cluster on loopback
# Other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

use_postgres=0
args=()
for arg in "$@"; do
  if [ "$arg" = "--postgres" ]; then use_postgres=1; else args+=("$arg"); fi
done

# LibreOffice is needed only by the tests that open the Word report (tests/reports/test_libreoffice.py);
# with WITH_LIBREOFFICE=1 in the environment those tests fail instead of skipping when it is missing.
export WITH_LIBREOFFICE="${WITH_LIBREOFFICE:-1}"
# PostgreSQL is installed for every run: tests/test_backup.py restores an archive into the other engine
# (SQLite → PostgreSQL on the default run); with REQUIRE_POSTGRES=1 that test fails instead of skipping without it.
export REQUIRE_POSTGRES="${REQUIRE_POSTGRES:-1}"
WITH_POSTGRES=1 scripts/setup.sh
if [ "$use_postgres" = "1" ]; then
  exec scripts/with-postgres.sh .venv/bin/python -m pytest "${args[@]+"${args[@]}"}"
fi
exec .venv/bin/python -m pytest "${args[@]+"${args[@]}"}"
