#!/usr/bin/env bash
# Sets up what is missing, then runs Meridian on its embedded default (PGlite + local storage under
# .meridian/) and prints the URL. Extra arguments go to `meridian serve` (e.g. --mode gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node apps/server/bin/meridian.js serve "$@"
