package io.dvo.gate.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.CanonicalJson;
import io.dvo.gate.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain: an event's hash is {@code sha256:} and the lower-case hex SHA-256 of the UTF-8
 * bytes of its RFC 8785 canonical JSON form (the wire form, snake_case, without the {@code hash}
 * member). The chain of a tenant starts after {@link #GENESIS}.
 */
public final class AuditChain {
  public static final String PREFIX = "sha256:";

  /** The "previous hash" of a tenant's first event. */
  public static final String GENESIS = PREFIX + "0".repeat(64);

  private AuditChain() {}

  public static String hashOf(AuditEvent event) {
    return PREFIX + HexFormat.of().formatHex(sha256(canonicalForm(event)));
  }

  /** The text that {@link #hashOf} hashes (documented in docs/audit.md). */
  public static String canonicalForm(AuditEvent event) {
    ObjectNode tree = Json.mapper().valueToTree(event);
    tree.remove("hash");
    return CanonicalJson.of(tree);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }
}
