package io.dvo.gate.plan;

/**
 * A scope entry for host names: exact ({@code api.example.com}) or wildcard ({@code
 * *.example.com}). A wildcard admits every name below the suffix at any depth, but not the suffix
 * itself (list {@code example.com} as well to admit it) and never a name that merely ends with the
 * same characters ({@code badexample.com}).
 */
public record HostPattern(String name, boolean wildcard) {

  /** The pattern, or null when {@code text} is neither a host name nor {@code *.}host name. */
  public static HostPattern parse(String text) {
    if (text == null) {
      return null;
    }
    boolean wildcard = text.startsWith("*.");
    String name = HostNames.normalise(wildcard ? text.substring(2) : text);
    return name == null ? null : new HostPattern(name, wildcard);
  }

  /** {@code host} must already be normalised (see {@link HostNames#normalise}). */
  public boolean matches(String host) {
    if (!wildcard) {
      return host.equals(name);
    }
    return host.length() > name.length() + 1 && host.endsWith("." + name);
  }

  @Override
  public String toString() {
    return wildcard ? "*." + name : name;
  }
}
