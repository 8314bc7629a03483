package io.dvo.gate.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressRangesTest {
  @Test
  void cidrRangesMatchTheirAddressesOnly() {
    AddressRanges ranges = AddressRanges.parse("10.1.2.0/24, 127.0.0.1, fd00::/8", "S");
    assertThat(ranges.contains("10.1.2.200")).isTrue();
    assertThat(ranges.contains("10.1.3.1")).isFalse();
    assertThat(ranges.contains("127.0.0.1")).isTrue();
    assertThat(ranges.contains("127.0.0.2")).isFalse();
    assertThat(ranges.contains("[fd12::1]")).isTrue();
    assertThat(ranges.contains("fe80::1")).isFalse();
    assertThat(ranges.contains("localhost")).isFalse();
    assertThat(ranges.contains(null)).isFalse();
    assertThat(AddressRanges.parse("0.0.0.0/0", "S").contains("192.0.2.9")).isTrue();
    assertThat(AddressRanges.parse("10.0.0.0/9", "S").contains("10.127.0.1")).isTrue();
    assertThat(AddressRanges.parse("10.0.0.0/9", "S").contains("10.128.0.1")).isFalse();
  }

  @Test
  void hostNamesAndBadPrefixesAreErrorsNamingTheSetting() {
    for (String bad :
        new String[] {"proxy.local", "999.1.1.1", "10.0.0.1/40", "::1/129", "1.2.3"}) {
      assertThatThrownBy(() -> AddressRanges.parse(bad, "DVO_PROXY_ADDRESSES"))
          .as(bad)
          .hasMessageStartingWith("DVO_PROXY_ADDRESSES");
    }
  }
}
