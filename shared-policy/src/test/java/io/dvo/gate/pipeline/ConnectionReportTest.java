package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.WhoAmI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionReportTest {
  private static WhoAmI key(List<String> roles, List<String> tenants) {
    return new WhoAmI("apikey:jenkins-prod", "Jenkins prod", "", roles, tenants, WhoAmI.API_KEY);
  }

  @Test
  void aCallerKeyForTheTenantIsFineAndSaysWhatItMayDo() {
    ConnectionReport r = ConnectionReport.of(key(List.of("gate_caller"), List.of("pay")), "pay");

    assertThat(r.ok()).isTrue();
    assertThat(r.text())
        .contains("Jenkins prod (apikey:jenkins-prod, gate API key)")
        .contains("roles: gate_caller; tenants: pay")
        .contains("It may ask the gate and start approved runs for tenant pay.");
  }

  @Test
  void aKeyWithoutTheCallerRoleOrForAnotherTenantIsAWarning() {
    ConnectionReport r = ConnectionReport.of(key(List.of("security"), List.of("other")), "pay");

    assertThat(r.ok()).isFalse();
    assertThat(r.text())
        .contains("may not ask the gate (that needs the role gate_caller)")
        .contains("may not act for tenant 'pay'")
        .contains("also holds security");
  }

  @Test
  void anOverPrivilegedKeyIsAWarningEvenThoughItWorks() {
    ConnectionReport r =
        ConnectionReport.of(key(List.of("admin", "gate_caller"), List.of("*")), "pay");

    assertThat(r.ok()).isFalse();
    assertThat(r.text()).contains("tenants: every tenant").contains("also holds admin");
  }

  @Test
  void developmentSignInIsNamed() {
    ConnectionReport r =
        ConnectionReport.of(
            new WhoAmI("ci", "ci", "", List.of("gate_caller"), List.of("demo"), WhoAmI.DEVELOPMENT),
            null);

    assertThat(r.ok()).isFalse();
    assertThat(r.text()).contains("development mode");
  }
}
