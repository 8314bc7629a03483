package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the configured header's last entry, and only where the host knows no peer address. */
class ClientAddressTest {
  private static HttpRequest request(String peer, Map<String, String> headers) {
    return new HttpRequest("GET", "/api/v1/health", null, Headers.of(headers), null, peer);
  }

  @Test
  void theLastEntryIsTheOneThePlatformAppended() {
    assertThat(ClientAddress.lastAddress("198.51.100.9")).isEqualTo("198.51.100.9");
    assertThat(ClientAddress.lastAddress("10.0.0.1, 203.0.113.7:51234")).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.lastAddress("1.2.3.4,[2001:db8::1]:443")).isEqualTo("2001:db8::1");
    assertThat(ClientAddress.lastAddress("2001:DB8::2")).isEqualTo("2001:db8::2");
  }

  @Test
  void whatIsNotAnAddressIsNotTaken() {
    assertThat(ClientAddress.lastAddress(null)).isNull();
    assertThat(ClientAddress.lastAddress("")).isNull();
    assertThat(ClientAddress.lastAddress("gate.example.net")).isNull();
    assertThat(ClientAddress.lastAddress("1.2.3.4, unknown")).isNull();
    assertThat(ClientAddress.lastAddress("300.1.1.1")).isNull();
    assertThat(ClientAddress.lastAddress("[::1")).isNull();
  }

  @Test
  void aHeaderIsReadOnlyWhenConfiguredAndTheHostKnowsNoPeer() {
    Map<String, String> xff = Map.of("X-Forwarded-For", "6.6.6.6, 203.0.113.7");
    assertThat(ClientAddress.resolve(request("", xff), null).remoteAddress()).isEmpty();
    assertThat(ClientAddress.resolve(request("", xff), "X-Forwarded-For").remoteAddress())
        .isEqualTo("203.0.113.7");
    assertThat(ClientAddress.resolve(request("127.0.0.1", xff), "X-Forwarded-For").remoteAddress())
        .isEqualTo("127.0.0.1");
    assertThat(ClientAddress.resolve(request("", Map.of()), "X-Forwarded-For").remoteAddress())
        .isEmpty();
  }
}
