package dev.floe.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry for tests and {@code floe-local}: the part of Apicurio Registry's REST API (v2)
 * that Kafka serializers and converters call, storing and serving Avro schemas for real. No
 * registry server can be installed where Floe is built (neither Apicurio's nor Confluent's is
 * published to the reachable repositories), so this double stands in for one.
 *
 * <p>An artifact is a subject ({@code topic-value}); each new schema for it is a version with a
 * global id; equal schema texts share a content id (what Confluent's wire format carries with
 * {@code use-id=contentId}). A new version must be BACKWARD compatible with the latest (a reader of
 * the new schema reads data of the old), Confluent's default rule: a registration that breaks it is
 * refused with HTTP 409, as a real registry refuses it.
 */
public final class LocalSchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "/apis/registry/v2/";
  private static final Pattern ARTIFACTS = Pattern.compile("groups/([^/]+)/artifacts");
  private static final Pattern ARTIFACT_META =
      Pattern.compile("groups/([^/]+)/artifacts/([^/]+)/meta");
  private static final Pattern BY_ID =
      Pattern.compile("ids/(contentIds|globalIds)/(\\d+)(/references)?");

  private record Version(
      String group, String artifact, int version, long globalId, long contentId) {}

  private final HttpServer server;
  private final List<String> contents = new ArrayList<>(); // content id - 1 → schema text
  private final List<Version> versions = new ArrayList<>(); // global id - 1 → version
  private final Map<String, List<Version>> byArtifact = new HashMap<>();
  private volatile boolean backward = true;

  private LocalSchemaRegistry(HttpServer server) {
    this.server = server;
  }

  /** Starts the registry on loopback; a port of 0 picks a free one. */
  public static LocalSchemaRegistry start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    LocalSchemaRegistry registry = new LocalSchemaRegistry(server);
    server.createContext(BASE, registry::handle);
    server.start();
    return registry;
  }

  /** The URL Apicurio's serializers and converters take as {@code apicurio.registry.url}. */
  public String apicurioUrl() {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + BASE.substring(0, BASE.length() - 1);
  }

  /**
   * {@code config} (a connector's) with every Apicurio converter's {@code apicurio.registry.url}
   * pointed at this registry; returns it.
   */
  public Map<String, String> pointConvertersHere(Map<String, String> config) {
    config.replaceAll(
        (key, value) -> key.endsWith(".apicurio.registry.url") ? apicurioUrl() : value);
    return config;
  }

  /**
   * Turns the BACKWARD rule on or off for every subject, as an operator relaxes a subject's rule in
   * a real registry to let an incompatible change through.
   */
  public void checkBackwardCompatibility(boolean on) {
    backward = on;
  }

  /** The schema texts of {@code artifact} (a subject such as {@code topic-value}), oldest first. */
  public synchronized List<String> schemas(String artifact) {
    return byArtifact.getOrDefault("default/" + artifact, List.of()).stream()
        .map(v -> contents.get((int) v.contentId() - 1))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher m;
      if ("POST".equals(exchange.getRequestMethod()) && (m = ARTIFACTS.matcher(path)).matches()) {
        register(exchange, m.group(1), body);
      } else if ((m = BY_ID.matcher(path)).matches()) {
        long id = Long.parseLong(m.group(2));
        String content = m.group(1).equals("contentIds") ? content(id) : contentOfGlobal(id);
        if (content == null) {
          reply(exchange, 404, error(404, "No schema with " + m.group(1) + " " + id));
        } else {
          reply(exchange, 200, m.group(3) != null ? "[]" : content);
        }
      } else if ((m = ARTIFACT_META.matcher(path)).matches()) {
        Version latest = latest(m.group(1), m.group(2));
        reply(
            exchange, latest == null ? 404 : 200, latest == null ? error(404, path) : meta(latest));
      } else {
        reply(exchange, 404, error(404, "Not served by this registry: " + path));
      }
    }
  }

  private void register(HttpExchange exchange, String group, String body) throws IOException {
    String artifact = exchange.getRequestHeaders().getFirst("X-Registry-ArtifactId");
    String content = body;
    if (String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
        .contains("extended")) {
      content = JSON.readTree(body).path("content").asText(); // {content, references}
    }
    String refusal;
    Version version;
    synchronized (this) {
      Version latest = latest(group, artifact);
      refusal =
          latest == null || !backward
              ? null
              : incompatibility(content, contents.get((int) latest.contentId() - 1));
      version =
          refusal != null
              ? null
              : latest != null && content.equals(contents.get((int) latest.contentId() - 1))
                  ? latest
                  : addVersion(group, artifact, content);
    }
    if (refusal != null) {
      reply(
          exchange,
          409,
          error(409, "Incompatible with the latest schema of " + artifact + ": " + refusal));
    } else {
      reply(exchange, 200, meta(version));
    }
  }

  /** Why a reader of {@code next} cannot read data written with {@code latest}, or null. */
  private static String incompatibility(String next, String latest) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(
            new Schema.Parser().parse(next), new Schema.Parser().parse(latest));
    return result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
        ? null
        : result.getResult().getIncompatibilities().toString();
  }

  private Version addVersion(String group, String artifact, String content) {
    int contentIndex = contents.indexOf(content);
    if (contentIndex < 0) {
      contents.add(content);
      contentIndex = contents.size() - 1;
    }
    List<Version> artifactVersions =
        byArtifact.computeIfAbsent(group + "/" + artifact, k -> new ArrayList<>());
    Version version =
        new Version(
            group, artifact, artifactVersions.size() + 1, versions.size() + 1, contentIndex + 1);
    versions.add(version);
    artifactVersions.add(version);
    return version;
  }

  private synchronized Version latest(String group, String artifact) {
    List<Version> all = byArtifact.get(group + "/" + artifact);
    return all == null ? null : all.get(all.size() - 1);
  }

  private synchronized String content(long contentId) {
    return contentId >= 1 && contentId <= contents.size()
        ? contents.get((int) contentId - 1)
        : null;
  }

  private synchronized String contentOfGlobal(long globalId) {
    return globalId >= 1 && globalId <= versions.size()
        ? content(versions.get((int) globalId - 1).contentId())
        : null;
  }

  private static String meta(Version v) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("groupId", v.group());
    meta.put("id", v.artifact());
    meta.put("version", String.valueOf(v.version()));
    meta.put("globalId", v.globalId());
    meta.put("contentId", v.contentId());
    meta.put("type", "AVRO");
    meta.put("state", "ENABLED");
    return JSON.valueToTree(meta).toString();
  }

  private static String error(int code, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("error_code", code);
    error.put("message", message);
    return error.toString();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
