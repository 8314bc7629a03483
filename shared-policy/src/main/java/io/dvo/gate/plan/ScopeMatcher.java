package io.dvo.gate.plan;

import io.dvo.gate.api.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a target lies inside an engagement's scope. Host targets match {@code hosts}; IP
 * targets match {@code cidrs}; a URL target is inside when it lies under one of {@code
 * url_prefixes}, or when its host is itself in scope through {@code hosts} or {@code cidrs} (a host
 * in scope admits every URL on it). Scope entries that do not parse admit nothing (fail closed);
 * the request parser reports them before this point.
 */
public final class ScopeMatcher {
  private final List<HostPattern> hosts = new ArrayList<>();
  private final List<Cidr> cidrs = new ArrayList<>();
  private final List<NormalisedUrl> prefixes = new ArrayList<>();

  private ScopeMatcher(Scope scope) {
    scope.hosts().stream().map(HostPattern::parse).filter(Objects::nonNull).forEach(hosts::add);
    scope.cidrs().stream()
        .map(Cidr::parse)
        .filter(Cidr.Parsed::ok)
        .map(Cidr.Parsed::cidr)
        .forEach(cidrs::add);
    scope.urlPrefixes().stream()
        .map(NormalisedUrl::parse)
        .filter(NormalisedUrl.Parsed::ok)
        .map(NormalisedUrl.Parsed::url)
        .forEach(prefixes::add);
  }

  public static ScopeMatcher of(Scope scope) {
    return new ScopeMatcher(scope == null ? new Scope(null, null, null) : scope);
  }

  /** True when {@code target} is a valid host, IP or URL inside this scope. */
  public boolean admits(String target) {
    Target.Parsed parsed = Target.parse(target);
    return parsed.ok() && admits(parsed.target());
  }

  public boolean admits(Target target) {
    if (target instanceof Target.Host host) {
      return admitsHost(host.name());
    }
    if (target instanceof Target.Ip ip) {
      return admitsIp(ip.address());
    }
    NormalisedUrl url = ((Target.Url) target).url();
    if (prefixes.stream().anyMatch(prefix -> prefix.admits(url))) {
      return true;
    }
    return url.ip() != null ? admitsIp(url.ip()) : admitsHost(url.host());
  }

  private boolean admitsHost(String name) {
    return hosts.stream().anyMatch(pattern -> pattern.matches(name));
  }

  private boolean admitsIp(byte[] address) {
    return cidrs.stream().anyMatch(cidr -> cidr.contains(address));
  }
}
