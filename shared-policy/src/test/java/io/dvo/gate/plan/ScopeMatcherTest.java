package io.dvo.gate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeMatcherTest {

  private static ScopeMatcher scope(List<String> hosts, List<String> cidrs, List<String> prefixes) {
    return ScopeMatcher.of(new Scope(hosts, cidrs, prefixes));
  }

  @Test
  void exactHostNamesMatchCaseInsensitivelyIgnoringATrailingDot() {
    ScopeMatcher scope = scope(List.of("Api.Example.com"), List.of(), List.of());

    assertThat(scope.admits("api.example.com")).isTrue();
    assertThat(scope.admits("API.EXAMPLE.COM.")).isTrue();
    assertThat(scope.admits("x.api.example.com")).isFalse();
    assertThat(scope.admits("example.com")).isFalse();
  }

  @Test
  void wildcardAdmitsSubdomainsAtAnyDepthButNotTheBareSuffixOrLookalikes() {
    ScopeMatcher scope = scope(List.of("*.example.com"), List.of(), List.of());

    assertThat(scope.admits("a.example.com")).isTrue();
    assertThat(scope.admits("a.b.example.com")).isTrue();
    assertThat(scope.admits("example.com")).isFalse();
    assertThat(scope.admits("badexample.com")).isFalse();
    assertThat(scope.admits("example.com.evil.net")).isFalse();
  }

  @Test
  void ipv4AddressesMatchInsideCidrsOnly() {
    ScopeMatcher scope = scope(List.of(), List.of("10.0.0.0/8", "192.168.1.0/24"), List.of());

    assertThat(scope.admits("10.255.1.2")).isTrue();
    assertThat(scope.admits("192.168.1.77")).isTrue();
    assertThat(scope.admits("192.168.2.1")).isFalse();
    assertThat(scope.admits("11.0.0.1")).isFalse();
    assertThat(scope.admits("010.0.0.1")).as("leading zeros are not octal, just invalid").isFalse();
  }

  @Test
  void ipv6AddressesMatchInsideIpv6CidrsAndFamiliesNeverMix() {
    ScopeMatcher scope = scope(List.of(), List.of("2001:db8::/32", "0.0.0.0/0"), List.of());

    assertThat(scope.admits("2001:db8:ffff::1")).isTrue();
    assertThat(scope.admits("[2001:DB8::1]")).isTrue();
    assertThat(scope.admits("2001:db9::1")).isFalse();
    assertThat(scope.admits("::1")).as("0.0.0.0/0 admits no IPv6").isFalse();
    assertThat(scope.admits("::ffff:10.0.0.1")).as("IPv4-mapped counts as IPv4").isTrue();
  }

  @Test
  void aCharacterOutsideTheBmpNextToAnEscapeIsNotConfusedWithAnother() {
    // Both the raw emoji and the %xx escape must survive decoding: 😀 is not 😁.
    ScopeMatcher scope = scope(List.of(), List.of(), List.of("https://x.test/%41\uD83D\uDE00"));

    assertThat(scope.admits("https://x.test/%41\uD83D\uDE01/y")).isFalse();
    assertThat(scope.admits("https://x.test/%41\uD83D\uDE00/y")).isTrue();
    assertThat(scope.admits("https://x.test/A\uD83D\uDE00/y")).as("%41 is A").isTrue();
    assertThat(scope.admits("https://x.test/%41%F0%9F%98%81/y")).isFalse();
  }

  @Test
  void brokenUtf8InAnEscapeIsRefusedNotTurnedIntoAReplacementCharacter() {
    // %FF and %FE would both decode to U+FFFD if decoding were lenient, and then match each other.
    ScopeMatcher scope = scope(List.of(), List.of(), List.of("https://x.test/%FF"));

    assertThat(scope.admits("https://x.test/%FE/y")).isFalse();
    assertThat(NormalisedUrl.parse("https://x.test/%FE").error())
        .contains("invalid percent-encoding");
  }

  @Test
  void urlPrefixesCompareWholePathSegmentsOnTheSameOrigin() {
    ScopeMatcher scope = scope(List.of(), List.of(), List.of("https://a.com/api"));

    assertThat(scope.admits("https://a.com/api")).isTrue();
    assertThat(scope.admits("https://a.com/api/")).isTrue();
    assertThat(scope.admits("https://A.COM:443/api/v1/users?id=1#x")).isTrue();
    assertThat(scope.admits("https://a.com/apix")).isFalse();
    assertThat(scope.admits("https://a.com/")).isFalse();
    assertThat(scope.admits("https://a.com.evil.net/api")).isFalse();
    assertThat(scope.admits("https://evil.net/api?https://a.com/api")).isFalse();
    assertThat(scope.admits("http://a.com/api")).as("scheme differs").isFalse();
    assertThat(scope.admits("https://a.com:8443/api")).as("port differs").isFalse();
    assertThat(scope.admits("https://a.com/api/../admin")).as("dot segments resolved").isFalse();
    assertThat(scope.admits("https://a.com/api/%2e%2e/admin")).as("encoded dots too").isFalse();
    assertThat(scope.admits("https://a.com/api%2F..%2Fadmin")).isFalse();
    assertThat(scope.admits("https://a.com/x/../api/v2")).isTrue();
  }

  @Test
  void aHostInScopeAdmitsEveryUrlOnIt() {
    ScopeMatcher scope = scope(List.of("*.example.com"), List.of("10.0.0.0/8"), List.of());

    assertThat(scope.admits("https://shop.example.com/any/path")).isTrue();
    assertThat(scope.admits("http://10.1.1.1:8080/")).isTrue();
    assertThat(scope.admits("https://example.com/")).isFalse();
    assertThat(scope.admits("http://11.1.1.1/")).isFalse();
  }

  @Test
  void urlPrefixesDoNotAdmitBareHostOrIpTargets() {
    ScopeMatcher scope = scope(List.of(), List.of(), List.of("https://a.com/"));

    assertThat(scope.admits("https://a.com/anything")).isTrue();
    assertThat(scope.admits("a.com")).isFalse();
  }

  @Test
  void anEmptyScopeAndInvalidTargetsAdmitNothing() {
    ScopeMatcher empty = ScopeMatcher.of(null);
    assertThat(empty.admits("example.com")).isFalse();
    assertThat(empty.admits("10.0.0.1")).isFalse();

    ScopeMatcher broad = scope(List.of("*.com"), List.of("0.0.0.0/0"), List.of());
    assertThat(broad.admits("not a host")).isFalse();
    assertThat(broad.admits("https://u:p@a.com/")).isFalse();
    assertThat(broad.admits("")).isFalse();
  }

  @Test
  void invalidScopeEntriesAdmitNothing() {
    ScopeMatcher scope = scope(List.of("bad host"), List.of("10.1.0.0/8"), List.of("nope"));

    assertThat(scope.admits("10.1.0.1")).isFalse();
    assertThat(scope.admits("bad")).isFalse();
  }
}
