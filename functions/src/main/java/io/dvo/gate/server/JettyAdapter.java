package io.dvo.gate.server;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.QueryString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Translates Jetty requests to {@link HttpRequest} and answers with the {@link HttpApi}'s response.
 * Bodies are read up to the limit plus one byte, so an oversized upload is refused (413) without
 * being buffered.
 */
final class JettyAdapter extends Handler.Abstract {
  private final HttpApi api;
  private final int maxBodyBytes;

  JettyAdapter(HttpApi api) {
    // Handlers block (store calls, long-polls): Jetty must dispatch them to pool threads.
    this.api = api;
    this.maxBodyBytes = api.limits().maxBodyBytes();
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpResponse answer;
    try {
      answer = api.handle(toHttpRequest(request));
    } catch (ApiException e) {
      answer = api.refusal(e, request.getHttpURI().getPath());
    } catch (IOException e) {
      // The client went away or stalled past the idle timeout while sending its body.
      answer =
          api.refusal(
              ApiException.badRequest("The request body could not be read completely."),
              request.getHttpURI().getPath());
    }
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put("Content-Length", String.valueOf(answer.body().length));
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
    return true;
  }

  private HttpRequest toHttpRequest(Request request) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.merge(field.getName(), field.getValue(), (a, b) -> a + "," + b);
    }
    long declared = request.getLength();
    byte[] body =
        declared > maxBodyBytes
            ? new byte[maxBodyBytes + 1]
            : readBounded(request, declared < 0 ? maxBodyBytes + 1 : (int) declared + 1);
    return new HttpRequest(
        request.getMethod(),
        request.getHttpURI().getPath(),
        QueryString.parse(request.getHttpURI().getQuery()),
        Headers.of(headers),
        body,
        Request.getRemoteAddr(request));
  }

  /**
   * Reads at most {@code limit} bytes. With a declared length the limit is that length plus one,
   * which keeps the read buffer as small as the body (InputStream sizes it by the limit).
   */
  private static byte[] readBounded(Request request, int limit) throws IOException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      return in.readNBytes(limit);
    }
  }
}
