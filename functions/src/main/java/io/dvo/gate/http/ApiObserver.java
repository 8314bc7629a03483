package io.dvo.gate.http;

/**
 * What the HTTP layer reports as it works, for metrics: decisions with their outcome and time, and
 * long polls while they are held. Implementations must be cheap and must never throw.
 */
public interface ApiObserver {

  /**
   * A decision was answered.
   *
   * @param operation {@code decide}, {@code evaluate} or {@code start}
   * @param outcome the decision's wire value ({@code allow}, {@code warn}, {@code deny}, {@code
   *     pending_approval})
   */
  void decided(String operation, String tenant, String outcome, long nanos);

  /** A long poll starts waiting. Each call is followed by exactly one {@link #longPollEnded}. */
  void longPollStarted();

  void longPollEnded();

  /** Observes nothing. */
  ApiObserver NONE =
      new ApiObserver() {
        @Override
        public void decided(String operation, String tenant, String outcome, long nanos) {}

        @Override
        public void longPollStarted() {}

        @Override
        public void longPollEnded() {}
      };
}
