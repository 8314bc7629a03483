package io.dvo.gate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** RFC 8785 output for the shapes the gate canonicalises, against hand-checked expected text. */
class CanonicalJsonTest {

  private static String of(String json) throws Exception {
    JsonNode node = Json.mapper().readTree(json);
    return CanonicalJson.of(node);
  }

  private static String string(String s) {
    StringBuilder out = new StringBuilder();
    CanonicalJson.string(out, s);
    return out.toString();
  }

  @Test
  void stringsUseOnlyTheEscapesRfc8785Prescribes() {
    // The string of the sample in RFC 8785, section 3.2.2.2, written here with its characters.
    assertThat(string("€$\u000f\nA'B\"\\\\\"/")).isEqualTo("\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
    assertThat(string("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
    assertThat(string("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\u007f\"");
    assertThat(string("plain text, no escapes")).isEqualTo("\"plain text, no escapes\"");
    assertThat(string("")).isEqualTo("\"\"");
    assertThat(string("😀 at the end \"")).isEqualTo("\"😀 at the end \\\"\"");
    assertThat(string("\"")).isEqualTo("\"\\\"\"");
  }

  @Test
  void membersAreSortedAndWhitespaceDropped() throws Exception {
    assertThat(of("{ \"b\": [1, true, null], \"a\": {\"z\": \"x\", \"y\": -3} }"))
        .isEqualTo("{\"a\":{\"y\":-3,\"z\":\"x\"},\"b\":[1,true,null]}");
  }

  @Test
  void numbersOutsideTheSafeRangeOrWithFractionsAreRefused() {
    assertThatThrownBy(() -> of("{\"n\": 9007199254740993}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of("{\"n\": 1.5}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CanonicalJson.safeInteger(1L << 53))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
