package io.dvo.gate.health;

import io.dvo.gate.policy.PolicyPackLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a policy pack as loaded: over the pack's rule files in load order, each as its
 * path relative to the pack (with '/') and its bytes, separated by NUL. Two gates with the same
 * hash run the same file pack (tenants' custom policies come on top, from the store).
 */
public final class PolicyPackDigest {
  private PolicyPackDigest() {}

  public static String of(Path dir) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file : PolicyPackLoader.ruleFiles(dir)) {
        sha.update(
            dir.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(file));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("DVO_POLICY_DIR: cannot read the policy pack", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
