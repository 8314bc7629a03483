package io.dvo.gate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Scope;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ScopeMatcherProperties {

  @Provide
  Arbitrary<String> labels() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> names() {
    return labels().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l) + ".io");
  }

  @Property(tries = 300)
  void aWildcardAdmitsEveryNameBelowItsSuffix(
      @ForAll("names") String suffix, @ForAll("names") String prefix) {
    ScopeMatcher scope = ScopeMatcher.of(new Scope(List.of("*." + suffix), null, null));

    assertThat(scope.admits(prefix + "." + suffix)).isTrue();
    assertThat(scope.admits((prefix + "." + suffix).toUpperCase())).isTrue();
  }

  @Property(tries = 300)
  void aWildcardNeverAdmitsItsSuffixOrANameMerelyEndingWithIt(
      @ForAll("names") String suffix, @ForAll("labels") String glued) {
    ScopeMatcher scope = ScopeMatcher.of(new Scope(List.of("*." + suffix), null, null));

    assertThat(scope.admits(suffix)).isFalse();
    assertThat(scope.admits(glued + suffix)).isFalse();
    assertThat(scope.admits(suffix + "." + glued + ".net")).isFalse();
  }

  @Property(tries = 300)
  void anExactHostAdmitsOnlyItself(@ForAll("names") String host, @ForAll("names") String other) {
    ScopeMatcher scope = ScopeMatcher.of(new Scope(List.of(host), null, null));

    assertThat(scope.admits(host)).isTrue();
    assertThat(scope.admits(other)).isEqualTo(other.equals(host));
  }

  @Provide
  Arbitrary<int[]> ipv4() {
    return Arbitraries.integers().between(0, 255).array(int[].class).ofSize(4);
  }

  @Property(tries = 300)
  void ipv4InsideTheNetworkIsAdmittedAndOutsideIsNot(
      @ForAll("ipv4") int[] network,
      @ForAll @IntRange(min = 0, max = 32) int length,
      @ForAll("ipv4") int[] probe) {
    long base = toLong(network) & mask(length);
    ScopeMatcher scope =
        ScopeMatcher.of(new Scope(null, List.of(format(base) + "/" + length), null));
    long address = toLong(probe);

    boolean inside = (address & mask(length)) == base;

    assertThat(scope.admits(format(address))).isEqualTo(inside);
    // The network's first and last addresses are always inside.
    assertThat(scope.admits(format(base))).isTrue();
    assertThat(scope.admits(format(base | (~mask(length) & 0xFFFFFFFFL)))).isTrue();
  }

  @Property(tries = 300)
  void ipv6InsideTheNetworkIsAdmittedAndJustOutsideIsNot(
      @ForAll @IntRange(min = 0, max = 0xffff) int group,
      @ForAll @IntRange(min = 1, max = 0xfffe) int host) {
    String network = "2001:db8:" + Integer.toHexString(group) + "::/48";
    ScopeMatcher scope = ScopeMatcher.of(new Scope(null, List.of(network), null));

    assertThat(
            scope.admits(
                "2001:db8:" + Integer.toHexString(group) + ":" + Integer.toHexString(host) + "::1"))
        .isTrue();
    int neighbour = group == 0xffff ? group - 1 : group + 1;
    assertThat(scope.admits("2001:db8:" + Integer.toHexString(neighbour) + "::1")).isFalse();
  }

  @Property(tries = 300)
  void aUrlIsAdmittedExactlyWhenItsSegmentsStartWithThePrefix(
      @ForAll("labels") String a, @ForAll("labels") String b, @ForAll("labels") String extra) {
    ScopeMatcher scope =
        ScopeMatcher.of(new Scope(null, null, List.of("https://x.io/" + a + "/" + b)));

    assertThat(scope.admits("https://x.io/" + a + "/" + b + "/" + extra)).isTrue();
    assertThat(scope.admits("https://x.io/" + a + "/" + b + extra)).isFalse();
    assertThat(scope.admits("https://x.io/" + a)).isFalse();
    assertThat(scope.admits("https://x.io." + extra + ".net/" + a + "/" + b)).isFalse();
  }

  private static long toLong(int[] octets) {
    return ((long) octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3];
  }

  private static long mask(int length) {
    return length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
  }

  private static String format(long address) {
    return ((address >> 24) & 255)
        + "."
        + ((address >> 16) & 255)
        + "."
        + ((address >> 8) & 255)
        + "."
        + (address & 255);
  }
}
