#!/bin/sh
# Turns the simulated history into TSDB blocks in Prometheus' storage, before Prometheus starts.
set -eu
if [ -f /backfill/done ]; then
  echo "backfill: history already in /prometheus"
  exit 0
fi
promtool tsdb create-blocks-from openmetrics /backfill/vims.om /prometheus
touch /backfill/done
rm -f /backfill/vims.om
