package io.dvo.gate.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The absolute link to an approval's review page, for card buttons. */
@FunctionalInterface
public interface ReviewLinks {
  String reviewUrl(String tenantId, String approvalId);

  /** Links under the public base URL (DVO_PUBLIC_BASE_URL), path segments encoded. */
  static ReviewLinks under(String publicBaseUrl) {
    String base =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
    return (tenantId, approvalId) ->
        base + "/api/v1/approvals/" + segment(tenantId) + "/" + segment(approvalId) + "/review";
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
