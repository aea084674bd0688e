#!/bin/sh
# docker compose's one-shot `register` service: waits for the Connect worker's REST API, then creates both
# connectors from the JSON files beside this script. A connector that exists already (409: registered by an
# earlier `up`, kept in Connect's config topic) is left as it is.
set -eu
until curl -sf http://connect:8083/connector-plugins >/dev/null; do
  echo "register: waiting for Kafka Connect"
  sleep 3
done
for file in /config/postgres-source.json /config/iceberg-sink.json; do
  status=$(curl -s -o /tmp/answer -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data @"$file" http://connect:8083/connectors)
  case "$status" in
    201) echo "register: created from $file" ;;
    409) echo "register: already registered, kept: $file" ;;
    *) echo "register: $file refused ($status): $(cat /tmp/answer)" >&2; exit 1 ;;
  esac
done
