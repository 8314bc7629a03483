package io.dvo.gate.server;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.UrlEncoded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Translates Jetty requests to {@link HttpRequest} and answers with the {@link HttpApi}'s response.
 * Jetty's own threads never block here: routes answered from memory (health, the documents) are
 * answered on the thread that parsed the request, and everything that may block (reading the body,
 * store calls) runs on the workers. A long poll returns its worker at once and is answered when its
 * future completes. So health answers while every worker is busy, and waiting holds no thread.
 * Bodies are read up to the limit plus one byte, so an oversized upload is refused (413) without
 * being buffered.
 */
final class JettyAdapter extends Handler.Abstract {
  private static final byte[] NO_BODY = new byte[0];

  /** How much of a refused body is read and dropped (see {@link #discardSome}). */
  private static final long DISCARD_BYTES = 64 * 1024;

  private final HttpApi api;
  private final Executor workers;
  private final int maxBodyBytes;

  JettyAdapter(HttpApi api, Executor workers) {
    super(InvocationType.NON_BLOCKING);
    this.api = api;
    this.workers = workers;
    this.maxBodyBytes = api.limits().maxBodyBytes();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (api.answersFromMemory(request.getMethod(), path)) {
      HttpResponse answer;
      try {
        answer = api.handle(toHttpRequest(request, NO_BODY));
      } catch (ApiException e) {
        answer = api.refusal(e, path);
      }
      respond(response, callback, answer);
      return true;
    }
    try {
      workers.execute(() -> serve(request, response, callback));
    } catch (RejectedExecutionException e) {
      respond(response, callback, busy(path));
    }
    return true;
  }

  /** On a worker: read the body, then answer when the API's future completes. */
  private void serve(Request request, Response response, Callback callback) {
    HttpRequest converted;
    try {
      converted = toHttpRequest(request, readBody(request));
    } catch (IOException e) {
      // The client went away or stalled past the idle timeout while sending its body.
      respond(
          response,
          callback,
          api.refusal(
              ApiException.badRequest("The request body could not be read completely."),
              request.getHttpURI().getPath()));
      return;
    } catch (ApiException e) {
      respond(response, callback, api.refusal(e, request.getHttpURI().getPath()));
      return;
    }
    api.handleAsync(converted)
        .whenComplete(
            (answer, failure) -> {
              if (failure != null) {
                callback.failed(failure);
              } else {
                respond(response, callback, answer);
              }
            });
  }

  private static void respond(Response response, Callback callback, HttpResponse answer) {
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put("Content-Length", String.valueOf(answer.body().length));
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  private HttpResponse busy(String path) {
    return api.refusal(
        new ApiException(
            ErrorCode.SERVER_BUSY,
            "Every worker of the gate is busy and its queue is full; nothing was decided. Retry"
                + " shortly.",
            List.of(),
            Map.of("Retry-After", "1")),
        path);
  }

  private HttpRequest toHttpRequest(Request request, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.merge(field.getName(), field.getValue(), (a, b) -> a + "," + b);
    }
    return new HttpRequest(
        request.getMethod(),
        request.getHttpURI().getPath(),
        UrlEncoded.query(request.getHttpURI().getQuery()),
        Headers.of(headers),
        body,
        Request.getRemoteAddr(request));
  }

  private byte[] readBody(Request request) throws IOException {
    long declared = request.getLength();
    if (declared > maxBodyBytes) {
      discardSome(request);
      return new byte[maxBodyBytes + 1];
    }
    return readBounded(request, declared < 0 ? maxBodyBytes + 1 : (int) declared + 1);
  }

  /**
   * Reads at most {@code limit} bytes. With a declared length the limit is that length plus one,
   * which keeps the read buffer as small as the body (InputStream sizes it by the limit). A body
   * past the limit is refused (413) without being buffered.
   */
  private static byte[] readBounded(Request request, int limit) throws IOException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(limit);
      if (body.length == limit && limit > 0) {
        skipSome(in);
      }
      return body;
    }
  }

  /**
   * Reads and drops up to {@link #DISCARD_BYTES} more of a body being refused, so that a client
   * still sending a slightly oversized body receives the 413: closing a connection with unread
   * input makes the kernel reset it, which can destroy the answer before the client reads it.
   */
  private static void discardSome(Request request) {
    try (InputStream in = Content.Source.asInputStream(request)) {
      skipSome(in);
    } catch (IOException e) {
      // The client went away: nobody is left to read the answer anyway.
    }
  }

  private static void skipSome(InputStream in) throws IOException {
    long left = DISCARD_BYTES;
    byte[] sink = new byte[8192];
    int read;
    while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= read;
    }
  }
}
