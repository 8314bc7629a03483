package io.dvo.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The hand-written OpenAPI 3.1 document of the API, a resource next to this class. */
public final class OpenApiDocument {
  private static final String RESOURCE = "openapi.json";
  private final byte[] bytes;
  private final JsonNode tree;

  private OpenApiDocument(byte[] bytes, JsonNode tree) {
    this.bytes = bytes;
    this.tree = tree;
  }

  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " missing from the build");
      }
      byte[] bytes = in.readAllBytes();
      return new OpenApiDocument(bytes, new ObjectMapper().readTree(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public JsonNode tree() {
    return tree;
  }
}
