package io.dvo.gate.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckedTest {

  @Test
  void aValueIsOkAndHasNoProblems() {
    Checked<String, String> c = Checked.valid("v");
    assertThat(c.ok()).isTrue();
    assertThat(c.value()).isEqualTo("v");
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void problemsAreNotOkAndHaveNoValue() {
    Checked<String, String> c = Checked.invalid(List.of("a", "b"));
    assertThat(c.ok()).isFalse();
    assertThat(c.value()).isNull();
    assertThat(c.problems()).containsExactly("a", "b");
  }

  @Test
  void neitherValueNorProblemsIsRefused() {
    assertThatThrownBy(() -> Checked.invalid(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checked.valid(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bothValueAndProblemsIsRefused() {
    assertThatThrownBy(() -> new Checked<>("v", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theProblemsAreCopied() {
    List<String> problems = new ArrayList<>(List.of("a"));
    Checked<String, String> c = Checked.invalid(problems);
    problems.add("b");
    assertThat(c.problems()).containsExactly("a");
    assertThatThrownBy(() -> c.problems().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
