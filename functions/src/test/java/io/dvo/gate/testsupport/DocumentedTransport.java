package io.dvo.gate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.dvo.gate.http.OpenApiDocument;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A transport that checks every JSON answer against openapi.json: the operation (method and path
 * template) is documented, the status is one of its responses, and the body matches that response's
 * schema. The end-to-end scenarios run through it, so what they record is what the document says.
 */
public final class DocumentedTransport implements Transport {
  private static final JsonNode DOC = OpenApiDocument.load().tree();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final Transport inner;

  public DocumentedTransport(Transport inner) {
    this.inner = inner;
  }

  @Override
  public Reply send(String method, String pathAndQuery, Map<String, String> headers, String body) {
    Reply reply = inner.send(method, pathAndQuery, headers, body);
    check(method, pathAndQuery, reply);
    return reply;
  }

  @Override
  public void close() {
    try {
      inner.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void check(String method, String pathAndQuery, Reply reply) {
    String type = reply.header("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).contains("json") || reply.body().isEmpty()) {
      return; // pages, redirects and empty answers have no JSON schema to meet
    }
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    JsonNode operation = operation(method, path);
    if (operation == null) {
      throw new AssertionError(
          "undocumented operation " + method + " " + path + " answered " + reply);
    }
    JsonNode response = operation.path("responses").path(String.valueOf(reply.status()));
    if (response.isMissingNode()) {
      response = operation.path("responses").path("default");
    }
    if (response.isMissingNode()) {
      throw new AssertionError(
          method + " " + path + ": status " + reply.status() + " is not documented: " + reply);
    }
    String mediaType = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    JsonNode schema = response.path("content").path(mediaType).path("schema");
    if (schema.isMissingNode()) {
      throw new AssertionError(
          method + " " + path + " " + reply.status() + ": " + mediaType + " is not documented");
    }
    List<Error> errors = schema(schema).validate(json(reply));
    if (!errors.isEmpty()) {
      throw new AssertionError(
          method
              + " "
              + path
              + " "
              + reply.status()
              + " does not match the document: "
              + errors
              + "\n"
              + reply.body());
    }
  }

  private static JsonNode json(Reply reply) {
    try {
      return Json.mapper().readTree(reply.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + reply, e);
    }
  }

  /** The schema, with the document's components beside it so that its $refs resolve. */
  private static Schema schema(JsonNode schema) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("components", DOC.get("components"));
    root.setAll((ObjectNode) schema.deepCopy());
    return SCHEMAS.getSchema(root);
  }

  private static JsonNode operation(String method, String path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = DOC.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String regex = "\\Q" + entry.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      if (Pattern.matches(regex, path)) {
        JsonNode operation = entry.getValue().get(method.toLowerCase(Locale.ROOT));
        if (operation != null) {
          return operation;
        }
      }
    }
    return null;
  }
}
