package io.dvo.gate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Scope;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever text arrives, parsing answers with a result or a message, never an exception. */
class ScopeParsingProperties {

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("[]:/.%@*-_?#0123456789abcdefABCDEF").ofMaxLength(30),
        Arbitraries.strings()
            .withChars("/.%2eEfF:")
            .ofMaxLength(20)
            .map(tail -> "https://a.com/" + tail));
  }

  @Property(tries = 500)
  void parsingArbitraryTextNeverThrows(@ForAll("noise") String text) {
    Target.Parsed target = Target.parse(text);
    Cidr.Parsed cidr = Cidr.parse(text);
    HostPattern.parse(text);
    NormalisedUrl.Parsed url = NormalisedUrl.parse(text);

    assertThat(target.ok()).isNotEqualTo(target.error() != null);
    assertThat(cidr.ok()).isNotEqualTo(cidr.error() != null);
    assertThat(url.ok()).isNotEqualTo(url.error() != null);
    ScopeMatcher.of(new Scope(List.of(text), List.of(text), List.of(text))).admits(text);
  }
}
