package io.dvo.gate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void validNetworksParse() {
    assertThat(Cidr.parse("10.0.0.0/8").cidr().toString()).isEqualTo("10.0.0.0/8");
    assertThat(Cidr.parse("0.0.0.0/0").ok()).isTrue();
    assertThat(Cidr.parse("192.168.1.1/32").ok()).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").ok()).isTrue();
    assertThat(Cidr.parse("::/0").ok()).isTrue();
  }

  @Test
  void malformedNetworksSayWhatIsWrong() {
    assertThat(Cidr.parse("10.0.0.0").error()).contains("CIDR notation");
    assertThat(Cidr.parse("10.0.0.0/").error()).contains("0 to 32");
    assertThat(Cidr.parse("10.0.0.0/-1").error()).contains("0 to 32");
    assertThat(Cidr.parse("2001:db8::/129").error()).contains("0 to 128");
    assertThat(Cidr.parse("10.0.0.256/32").error()).contains("not an IPv4 or IPv6 address");
    assertThat(Cidr.parse("example.com/8").error()).contains("not an IPv4 or IPv6 address");
    assertThat(Cidr.parse("2001:db8::1/32").error())
        .contains("did you mean 2001:db8:0:0:0:0:0:0/32");
    assertThat(Cidr.parse("::ffff:10.0.0.0/104").error()).contains("IPv4-mapped");
  }
}
