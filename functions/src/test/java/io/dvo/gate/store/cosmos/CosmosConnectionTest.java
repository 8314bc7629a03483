package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosException;
import io.dvo.gate.store.StoreUnavailableException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How Cosmos failures become results or StoreUnavailableException (no server needed). */
class CosmosConnectionTest {
  private final CosmosConnection connection =
      CosmosConnection.create(
          new CosmosSettings("https://127.0.0.1:9/", "db", "a2V5", null, false));

  private static final class Failure extends CosmosException {
    Failure(int status, int subStatus) {
      super(
          status,
          "failed",
          Map.of("x-ms-substatus", String.valueOf(subStatus), "x-ms-request-charge", "2.5"),
          null);
    }
  }

  private CosmosConnection.Attempt<String> fail(int status, int subStatus, int... expected) {
    return connection.attempt(
        "test.op",
        "read",
        () -> {
          throw new Failure(status, subStatus);
        },
        r -> 0,
        expected);
  }

  @Test
  void anExpectedStatusIsAResultNotAnError() {
    assertThat(fail(412, 0, 404, 412).failedStatus()).isEqualTo(412);
    assertThat(fail(404, 0, 404).failedStatus()).isEqualTo(404);
  }

  @Test
  void throttlingThatOutlastsTheSdkRetriesIsUnavailable() {
    assertThatThrownBy(() -> fail(429, 3200, 404, 412))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("throttling");
  }

  @Test
  void aMissingContainerIsUnavailableEvenWhereNotFoundIsExpected() {
    assertThatThrownBy(() -> fail(404, 1003, 404))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("404/1003");
  }

  @Test
  void serverErrorsAndUnexpectedExceptionsAreUnavailable() {
    assertThatThrownBy(() -> fail(500, 0, 404)).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(
            () ->
                connection.attempt(
                    "test.op",
                    "read",
                    () -> {
                      throw new IllegalStateException("netty said no");
                    },
                    r -> 0))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("netty said no");
  }

  @Test
  void failedRequestsAreChargedToo() {
    fail(412, 0, 412);

    assertThat(connection.requestCharges().byOperation().get("test.op").requestUnits())
        .isEqualTo(2.5);
  }

  @Test
  void settingsNeverShowTheKey() {
    CosmosSettings settings =
        new CosmosSettings(
            "https://acct.documents.azure.com:443/", "db", "c2VjcmV0LWtleQ==", null, false);

    assertThat(settings.toString()).doesNotContain("c2VjcmV0LWtleQ==").contains("auth=key");
  }
}
