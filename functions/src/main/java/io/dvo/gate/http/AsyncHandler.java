package io.dvo.gate.http;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one routed request later, without holding the calling thread while it waits (long polls).
 * Refusals are thrown as {@link ApiException}, at once or as the future's failure.
 */
@FunctionalInterface
public interface AsyncHandler {
  CompletableFuture<HttpResponse> handle(Call call);

  /** A synchronous handler, answered on the calling thread. */
  static AsyncHandler of(Handler handler) {
    return call -> CompletableFuture.completedFuture(handler.handle(call));
  }
}
