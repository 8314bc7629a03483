package io.dvo.gate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * A self-contained HTML page (no external scripts, styles or fonts) rendered from the OpenAPI
 * document.
 */
public final class DocsPage {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private DocsPage() {}

  public static String render(JsonNode doc) {
    StringBuilder html = new StringBuilder(32 * 1024);
    String title = doc.path("info").path("title").asText("API");
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(title))
        .append(" — API</title><style>")
        .append(
            "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;"
                + "color:#1d2330;line-height:1.45}h1{margin-bottom:.2rem}"
                + ".op{border:1px solid #d5d9e0;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}"
                + ".m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace}"
                + ".get{color:#0b6b3a}.post{color:#1f4fbf}.put{color:#8a5a00}.delete{color:#a31515}"
                + "code,pre{font-family:ui-monospace,monospace;font-size:.9em}"
                + "pre{background:#f5f6f8;padding:.6rem;overflow:auto;border-radius:4px}"
                + "table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #e1e4e8;"
                + "padding:.2rem .5rem;text-align:left;vertical-align:top}nav a{margin-right:.8rem}")
        .append("</style></head><body><h1>")
        .append(esc(title))
        .append("</h1><p>")
        .append(esc(doc.path("info").path("description").asText("")))
        .append("</p><p>Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a></p>");
    html.append("<h2>Endpoints</h2>");
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        operation(html, path.getKey(), op.getKey(), op.getValue());
      }
    }
    html.append("<h2>Schemas</h2>");
    for (Iterator<Map.Entry<String, JsonNode>> schemas =
            doc.path("components").path("schemas").fields();
        schemas.hasNext(); ) {
      Map.Entry<String, JsonNode> schema = schemas.next();
      html.append("<h3 id=\"schema-")
          .append(esc(schema.getKey()))
          .append("\">")
          .append(esc(schema.getKey()))
          .append("</h3><pre>")
          .append(esc(pretty(schema.getValue())))
          .append("</pre>");
    }
    html.append("</body></html>\n");
    return html.toString();
  }

  private static void operation(StringBuilder html, String path, String method, JsonNode op) {
    html.append("<section class=\"op\"><div><span class=\"m ")
        .append(esc(method))
        .append("\">")
        .append(esc(method.toUpperCase(java.util.Locale.ROOT)))
        .append("</span> <code>")
        .append(esc(path))
        .append("</code> — ")
        .append(esc(op.path("summary").asText("")))
        .append("</div><p>")
        .append(esc(op.path("description").asText("")))
        .append("</p>");
    if (op.path("parameters").size() > 0) {
      html.append("<table><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr>");
      for (JsonNode p : op.path("parameters")) {
        html.append("<tr><td><code>")
            .append(esc(p.path("name").asText()))
            .append("</code></td><td>")
            .append(esc(p.path("in").asText()))
            .append("</td><td>")
            .append(p.path("required").asBoolean() ? "yes" : "no")
            .append("</td><td>")
            .append(esc(p.path("description").asText("")))
            .append("</td></tr>");
      }
      html.append("</table>");
    }
    JsonNode body = op.path("requestBody").path("content");
    body.fields()
        .forEachRemaining(
            content ->
                html.append("<p>Body (<code>")
                    .append(esc(content.getKey()))
                    .append("</code>): ")
                    .append(esc(schemaName(content.getValue().path("schema"))))
                    .append("</p>"));
    html.append("<table><tr><th>status</th><th>meaning</th></tr>");
    op.path("responses")
        .fields()
        .forEachRemaining(
            r ->
                html.append("<tr><td>")
                    .append(esc(r.getKey()))
                    .append("</td><td>")
                    .append(esc(r.getValue().path("description").asText("")))
                    .append("</td></tr>"));
    html.append("</table></section>");
  }

  private static String schemaName(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.isEmpty() ? pretty(schema) : ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static String pretty(JsonNode node) {
    try {
      return PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }

  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
