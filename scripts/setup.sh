#!/usr/bin/env bash
# Installs what Meridian needs on a Debian machine: the Debian packages (GDAL always; PostGIS and
# Chromium for the test suite) when they are missing, and the npm dependencies. Used by scripts/start.sh and
# scripts/test.sh; safe to run again (it only installs what is missing).
#   usage: scripts/setup.sh [--for-tests | --for-bench]
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-gdal ships GDAL's COG validator, which the raster ETL runs on every output.
packages=(gdal-bin python3-gdal)
if [[ "${1:-}" == "--for-tests" || "${1:-}" == "--for-bench" ]]; then
  packages+=(postgresql-15-postgis-3 chromium)
fi
# MapServer (FastCGI behind lighttpd) is the peer the benchmarks measure Meridian against.
if [[ "${1:-}" == "--for-bench" ]]; then
  packages+=(cgi-mapserver lighttpd)
fi

# 20.15 is the first Node.js 20 with zlib.crc32 (the PNG tile writer uses it).
node_ok=$(node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 20 || (a === 20 && b >= 15)' 2>/dev/null || echo false)
if [[ "$node_ok" != "true" ]]; then
  echo "Meridian needs Node.js 20.15 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it, e.g. on Debian: apt-get install nodejs npm" >&2
  exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if (( ${#missing[@]} )); then
  if [[ -f /etc/debian_version && $(id -u) -eq 0 ]]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Meridian needs these Debian packages, which are not installed: ${missing[*]}" >&2
    echo "Install them as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "(On another system, install GDAL >= 3.6 command-line tools and, for the tests, PostGIS >= 3.3 for PostgreSQL 15.)" >&2
    exit 1
  fi
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The web UI served at /: build it when dist is missing or any source file is newer than the build.
if [[ ! -f apps/web/dist/index.html ]] || [[ -n "$(find apps/web/src apps/web/index.html apps/web/package.json -newer apps/web/dist/index.html -print -quit)" ]]; then
  echo "Building the web UI"
  npm run build --workspace @meridian/web --silent
fi
