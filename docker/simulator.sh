#!/bin/sh
# The live vIMS on /metrics, with POST /scenario?name=... to inject a fault. It runs the seed and the
# start of the backfilled history: a simulator that honours --start in live mode continues that run
# instead of starting with cold containers and fresh counters.
set -eu
cd /app
exec node bin/syrroca.js simulate --listen 0.0.0.0:9465 --step 30 --seed 1 --scenario nominal \
  --start "$(cat /backfill/start)"
