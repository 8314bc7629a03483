package io.dvo.gate.api;

import java.util.List;

/**
 * What an engagement may touch: host names (exact, or {@code *.suffix}), IP ranges in CIDR
 * notation, and URL prefixes.
 */
public record Scope(List<String> hosts, List<String> cidrs, List<String> urlPrefixes) {
  public Scope {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
    urlPrefixes = urlPrefixes == null ? List.of() : List.copyOf(urlPrefixes);
  }
}
