#!/bin/sh
# History for the dashboards and the training: 28 h of the simulated vIMS up to a few minutes ago,
# nominal except one hour of packet loss from 26.5 h (about 1.5 h before now), as OpenMetrics for
# promtool. The start (unix seconds, on the 30 s grid) goes to /backfill/start for the models.
set -eu
cd /app
if [ -f /backfill/done ] || [ -f /backfill/vims.om ]; then
  echo "backfill-data: already written"
  exit 0
fi
now=$(date +%s)
start=$(( (now - 28 * 3600) / 30 * 30 ))
node bin/syrroca.js simulate --scenario packet-loss --fault-start 26.5 --fault-hours 1 \
  --seed 1 --step 30 --start "$start" --hours 27.9 --out /backfill/vims.om
echo "$start" > /backfill/start
# The next step runs as Prometheus' user and removes the file when the blocks are written.
chmod 0777 /backfill
chmod 0666 /backfill/vims.om /backfill/start
