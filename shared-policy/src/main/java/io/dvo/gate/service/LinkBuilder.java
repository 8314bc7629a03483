package io.dvo.gate.service;

import io.dvo.gate.api.ApiPaths;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Links to an approval: the status URL pipelines poll and the review page people open. */
public interface LinkBuilder {
  String statusUrl(String tenantId, String approvalId);

  String reviewUrl(String tenantId, String approvalId);

  /** The overview page of a tenant's approvals (people's start page); null when there is none. */
  default String overviewUrl(String tenantId) {
    return null;
  }

  /**
   * Links under a public base URL: {@code {base}/api/v1/approvals/{tenant}/{id}} and that plus
   * {@code /review}. A trailing slash on the base is ignored.
   */
  static LinkBuilder under(String publicBaseUrl) {
    String base =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
    return new LinkBuilder() {
      @Override
      public String statusUrl(String tenantId, String approvalId) {
        return base
            + ApiPaths.full(
                ApiPaths.expand(ApiPaths.APPROVAL, encode(tenantId), encode(approvalId)));
      }

      @Override
      public String reviewUrl(String tenantId, String approvalId) {
        return base
            + ApiPaths.full(
                ApiPaths.expand(ApiPaths.APPROVAL_REVIEW, encode(tenantId), encode(approvalId)));
      }

      @Override
      public String overviewUrl(String tenantId) {
        return base + "/?tenant=" + encode(tenantId);
      }
    };
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
