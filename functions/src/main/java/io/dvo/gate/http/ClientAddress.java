package io.dvo.gate.http;

import java.util.regex.Pattern;

/**
 * The client's address where the host has no peer address of its own (Azure Functions: the worker
 * sees only the platform's front end). Read from one header the operator names ({@code
 * DVO_CLIENT_ADDRESS_HEADER}, e.g. {@code X-Forwarded-For}), and only its <em>last</em> entry: the
 * one the platform's front end appended. Earlier entries are whatever the client wrote and are
 * ignored. Without the setting nothing is read: a header is never trusted by default.
 */
public final class ClientAddress {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private ClientAddress() {}

  /**
   * {@code request} with its client address taken from {@code header}, when the host gave none and
   * the header's last entry is an IP address (with or without a port); else unchanged.
   */
  public static HttpRequest resolve(HttpRequest request, String header) {
    if (header == null || !request.remoteAddress().isEmpty()) {
      return request;
    }
    String address = lastAddress(request.headers().get(header));
    if (address == null) {
      return request;
    }
    return new HttpRequest(
        request.method(),
        request.path(),
        request.query(),
        request.headers(),
        request.body(),
        address);
  }

  /** The last comma-separated entry as a bare IP address, or null when it is not one. */
  static String lastAddress(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String last = value.substring(value.lastIndexOf(',') + 1).trim();
    if (last.startsWith("[")) {
      int close = last.indexOf(']');
      if (close < 0) {
        return null;
      }
      last = last.substring(1, close);
    } else if (last.indexOf(':') == last.lastIndexOf(':') && last.indexOf(':') > 0) {
      last = last.substring(0, last.indexOf(':')); // IPv4 with a port
    }
    if (IPV4.matcher(last).matches()) {
      for (String part : last.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
      return last;
    }
    return last.contains(":") && IPV6.matcher(last).matches() ? last.toLowerCase() : null;
  }
}
