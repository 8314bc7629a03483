package io.dvo.gate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 5424 header, structured data escaping and RFC 6587 octet counting. */
class SyslogMessageTest {
  private final SiemEvent event =
      new SiemEvent(
          "a\"c]m\\e", 42, Instant.parse("2026-12-02T03:00:00.123456789Z"), 6, "CEF:0|x|ü\nnext");

  @Test
  void formatsTheHeaderAndStructuredData() {
    assertThat(new SyslogMessage("gate-1").format(event))
        .isEqualTo(
            "<110>1 2026-12-02T03:00:00.123456Z gate-1 dvo-gate - audit"
                + " [dvo@32473 tenant=\"a\\\"c\\]m\\\\e\" seq=\"42\"] CEF:0|x|ü\nnext");
  }

  @Test
  void theFrameCountsUtf8Bytes() {
    SyslogMessage format = new SyslogMessage("gate-1");
    byte[] message = format.format(event).getBytes(StandardCharsets.UTF_8);
    String frame = new String(format.frame(event), StandardCharsets.UTF_8);
    assertThat(frame).startsWith(message.length + " <110>1 ");
    assertThat(message.length).isGreaterThan(format.format(event).length()); // ü is two bytes
  }

  @Test
  void theHostnameIsPrintableAsciiOrNil() {
    assertThat(SyslogMessage.headerField("my host\u00e9", 255)).isEqualTo("myhost");
    assertThat(SyslogMessage.headerField(" ", 255)).isEqualTo("-");
    assertThat(SyslogMessage.headerField(null, 255)).isEqualTo("-");
  }
}
