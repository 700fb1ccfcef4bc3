#!/usr/bin/env bash
# Sets up what is missing, then runs Meridian on its embedded default (PGlite + local storage under
# .meridian/) and prints the URL. Extra arguments go to `meridian serve` (e.g. --mode gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# V8's parallel and concurrent garbage-collector threads cost more CPU than they save on a machine of few
# cores: on 2 cores, single-threaded GC took 40 % less CPU per raster tile (with a warm block cache) and
# 24 % less per vector tile. On a machine with many cores, drop the flag.
exec node --single-threaded-gc apps/server/bin/meridian.js serve "$@"
