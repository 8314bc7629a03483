package io.dvo.gate.opa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * Asks an Open Policy Agent for one decision through its Data API ({@code POST /v1/data/{path}}
 * with {@code {"input": ...}}). The gate's only view of OPA: {@link HttpOpaClient} is the real one,
 * tests may stand in their own.
 */
public interface OpaClient {

  /**
   * Evaluates {@code decision} for {@code input}, without holding the calling thread.
   *
   * @param requestId sent as {@code X-Request-Id} (for OPA's decision log); null sends none
   * @return completes with the decision's {@code result} (any JSON value), or exceptionally with an
   *     {@link OpaUnavailableException} saying why there is none (an undefined decision is {@link
   *     OpaUnavailableException.Failure#UNDEFINED_DECISION}, never a result)
   */
  CompletableFuture<JsonNode> evaluate(DecisionPath decision, JsonNode input, String requestId);
}
