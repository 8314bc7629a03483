package io.dvo.gate.http;

/** ETag header values: stores' version tags, quoted as HTTP wants them. */
public final class ETags {
  private ETags() {}

  public static String quote(String etag) {
    if (etag.startsWith("\"") || etag.startsWith("W/\"")) {
      return etag;
    }
    return "\"" + etag.replace("\"", "") + "\"";
  }

  /** The tag inside an If-Match / If-None-Match value, or null when absent. */
  public static String unquote(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return value;
  }
}
