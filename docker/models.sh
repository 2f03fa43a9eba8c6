#!/bin/sh
# The models of the exporter and the dashboards, trained once as an operator would: from
# Prometheus, on 24 h of nominal history (the backfill's hours 2-26; the first two are the
# containers warming up). Written atomically into /models/vims.
set -eu
cd /app
if [ -f /models/vims/models.json ]; then
  echo "models: /models/vims already trained"
  exit 0
fi
start=$(cat /backfill/start)
node bin/syrroca.js train --prometheus http://prometheus:9090 --namespace vims \
  --from $(( start + 2 * 3600 )) --to $(( start + 26 * 3600 )) --epochs 10 --out /models/vims
