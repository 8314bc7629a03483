package io.dvo.gate.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaSettingsTest {
  private static final long MAX = QuotaSettings.MAX_CREDITS;

  @Test
  void limitsUpToTheLargestExactJsonIntegerAreAccepted() {
    QuotaSettings settings = new QuotaSettings("acme", MAX, MAX, Map.of("eng", MAX));

    assertThat(settings.monthlyBudget()).isEqualTo(9_007_199_254_740_991L);
  }

  @Test
  void limitsBeyondWhatEveryStoreKeepsExactlyAreRefusedNamingTheField() {
    // Cosmos DB keeps numbers as doubles: a larger limit would come back as another number.
    assertThatThrownBy(() -> new QuotaSettings("acme", MAX + 1, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("monthly_budget")
        .hasMessageContaining(String.valueOf(MAX));
    assertThatThrownBy(() -> new QuotaSettings("acme", 10, MAX + 1, null))
        .hasMessageContaining("per_plan_cap");
    assertThatThrownBy(() -> new QuotaSettings("acme", 10, null, Map.of("eng", MAX + 1)))
        .hasMessageContaining("engagement_caps.eng");
  }

  @Test
  void engagementCapsMustBeGivenAndNotNegative() {
    Map<String, Long> withNull = new HashMap<>();
    withNull.put("eng", null);

    assertThatThrownBy(() -> new QuotaSettings("acme", 10, null, Map.of("eng", -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("engagement_caps.eng");
    assertThatThrownBy(() -> new QuotaSettings("acme", 10, null, withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("engagement_caps.eng");
  }
}
