package io.dvo.gate.review;

/** HTML escaping for text and attribute values: everything shown on the page goes through here. */
final class Html {
  private Html() {}

  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab/newline have no business on the page.
          if (c < 0x20 && c != '\n' && c != '\t') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
