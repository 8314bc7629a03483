package io.dvo.gate.http;

/** Answers one routed request. Refusals are thrown as {@link ApiException}. */
@FunctionalInterface
public interface Handler {
  HttpResponse handle(Call call);
}
