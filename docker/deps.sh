#!/bin/sh
# The npm dependencies, installed in the container into the node_modules volume (which hides the
# host's node_modules: native packages such as esbuild must be the Linux builds). Once per lock file.
set -eu
cd /app
stamp=node_modules/.syrroca-package-lock.json
if cmp -s package-lock.json "$stamp"; then
  echo "deps: node_modules matches package-lock.json"
  exit 0
fi
# npm ci empties node_modules itself (the volume's mount point stays).
npm ci --omit=dev --no-audit --no-fund
cp package-lock.json "$stamp"
