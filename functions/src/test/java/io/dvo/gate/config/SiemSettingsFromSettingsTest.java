package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.siem.SiemSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DVO_SIEM_*: defaults, parsing, and startup errors that name the setting. */
class SiemSettingsFromSettingsTest {
  @Test
  void unsetAddressMeansNoForwarding() {
    assertThat(Settings.of(Map.of()).siem()).isNull();
  }

  @Test
  void defaults() {
    SiemSettings siem = Settings.of(Map.of("DVO_SIEM_ADDRESS", "siem.example.com:6514")).siem();
    assertThat(siem.host()).isEqualTo("siem.example.com");
    assertThat(siem.port()).isEqualTo(6514);
    assertThat(siem.tls()).isFalse();
    assertThat(siem.caFile()).isNull();
    assertThat(siem.outboxFile()).isEqualTo(Path.of("./data/siem-outbox.db"));
    assertThat(siem.outboxMaxEvents()).isEqualTo(1_000_000);
    assertThat(siem.whenFull()).isEqualTo(SiemSettings.WhenFull.DROP);
    assertThat(siem.payload()).isEqualTo(SiemSettings.Payload.CEF);
  }

  @Test
  void anIpv6AddressAndTheRefusePolicy() {
    SiemSettings siem =
        Settings.of(
                Map.of(
                    "DVO_SIEM_ADDRESS", "[::1]:514",
                    "DVO_SIEM_TLS", "true",
                    "DVO_SIEM_OUTBOX_FULL", "Refuse",
                    "DVO_SIEM_OUTBOX_MAX_EVENTS", "10",
                    "DVO_SIEM_FORMAT", "JSON"))
            .siem();
    assertThat(siem.host()).isEqualTo("::1");
    assertThat(siem.address()).isEqualTo("[::1]:514");
    assertThat(siem.tls()).isTrue();
    assertThat(siem.whenFull()).isEqualTo(SiemSettings.WhenFull.REFUSE);
    assertThat(siem.outboxMaxEvents()).isEqualTo(10);
    assertThat(siem.payload()).isEqualTo(SiemSettings.Payload.JSON);
  }

  @Test
  void badValuesNameTheSetting() {
    for (String address :
        new String[] {"siem.example.com", "host:0", "host:x", "::1:514", "a b:1"}) {
      assertThatThrownBy(() -> Settings.of(Map.of("DVO_SIEM_ADDRESS", address)).siem())
          .hasMessageStartingWith("DVO_SIEM_ADDRESS ");
    }
    assertThatThrownBy(
            () ->
                Settings.of(Map.of("DVO_SIEM_ADDRESS", "h:1", "DVO_SIEM_OUTBOX_FULL", "block"))
                    .siem())
        .hasMessage("DVO_SIEM_OUTBOX_FULL must be drop or refuse, not 'block'.");
    assertThatThrownBy(
            () -> Settings.of(Map.of("DVO_SIEM_ADDRESS", "h:1", "DVO_SIEM_FORMAT", "leef")).siem())
        .hasMessage("DVO_SIEM_FORMAT must be cef or json, not 'leef'.");
    assertThatThrownBy(
            () ->
                Settings.of(Map.of("DVO_SIEM_ADDRESS", "h:1", "DVO_SIEM_CA_FILE", "/etc/hostname"))
                    .siem())
        .hasMessageContaining("DVO_SIEM_TLS is not true");
    assertThatThrownBy(
            () ->
                Settings.of(
                        Map.of(
                            "DVO_SIEM_ADDRESS", "h:1",
                            "DVO_SIEM_TLS", "true",
                            "DVO_SIEM_CA_FILE", "/no/such/ca.pem"))
                    .siem())
        .hasMessageStartingWith("DVO_SIEM_CA_FILE names a file that cannot be read");
    assertThatThrownBy(
            () ->
                Settings.of(Map.of("DVO_SIEM_ADDRESS", "h:1", "DVO_SIEM_OUTBOX_MAX_EVENTS", "0"))
                    .siem())
        .hasMessageStartingWith("DVO_SIEM_OUTBOX_MAX_EVENTS must be at least 1");
  }
}
