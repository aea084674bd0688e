#!/bin/sh
# docker compose's one-shot `plugins` service: unzips both Floe archives (built by `./mvnw package`) onto
# the worker's plugin.path and fetches the Prometheus JMX exporter agent from Maven Central.
set -eu
for archive in /archives/source/floe-postgres-source-*.zip /archives/sink/floe-iceberg-sink-*.zip; do
  if [ ! -f "$archive" ]; then
    echo "plugins: $archive not found; build the archives first: ./mvnw package -DskipTests" >&2
    exit 1
  fi
  name=$(basename "$archive" .zip)
  rm -rf "/plugins/$name"
  unzip -q "$archive" -d /plugins
  echo "plugins: unzipped $name"
done
agent=/plugins/agent/jmx_prometheus_javaagent.jar
if [ ! -f "$agent" ]; then
  mkdir -p /plugins/agent
  wget -q -O "$agent" \
    "https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/${JMX_EXPORTER_VERSION}/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar"
  echo "plugins: fetched the JMX exporter agent ${JMX_EXPORTER_VERSION}"
fi
