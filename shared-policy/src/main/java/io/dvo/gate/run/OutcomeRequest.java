package io.dvo.gate.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.Checked;
import io.dvo.gate.input.JsonShape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The body of {@code POST /api/v1/runs/{tenant}/{key}/outcome}: {@code status} (succeeded, failed,
 * cancelled), optional {@code actual_credits} (a whole number, 0 or more) and optional {@code
 * artifact} ({@code version}, {@code commit}: non-blank strings of at most 200 characters).
 *
 * @param actualCredits null when not reported
 * @param artifact null when not reported
 */
public record OutcomeRequest(RunStatus status, Long actualCredits, Artifact artifact) {
  private static final int MAX_TEXT = 200;
  private static final List<String> FIELDS = List.of("status", "actual_credits", "artifact");
  private static final List<String> ARTIFACT_FIELDS = List.of("version", "commit");

  /** A parsed body, or every problem with it. */
  public static Checked<OutcomeRequest, FieldError> parse(JsonNode body) {
    List<FieldError> problems = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return Checked.invalid(List.of(new FieldError("$", "must be a JSON object")));
    }
    unknown(body, FIELDS, "$", problems);
    RunStatus status = null;
    JsonNode s = body.get("status");
    if (s == null || s.isNull()) {
      problems.add(new FieldError("$.status", "is required: succeeded, failed or cancelled"));
    } else if (!s.isTextual() || RunStatus.fromWire(s.asText()).isEmpty()) {
      problems.add(new FieldError("$.status", "must be succeeded, failed or cancelled"));
    } else {
      status = RunStatus.fromWire(s.asText()).get();
    }
    Long actual = null;
    JsonNode a = body.get("actual_credits");
    if (a != null && !a.isNull()) {
      if (!a.isIntegralNumber() || !a.canConvertToLong() || a.longValue() < 0) {
        problems.add(new FieldError("$.actual_credits", "must be a whole number, 0 or more"));
      } else {
        actual = a.longValue();
      }
    }
    Artifact artifact = null;
    JsonNode art = body.get("artifact");
    if (art != null && !art.isNull()) {
      if (!art.isObject()) {
        problems.add(new FieldError("$.artifact", "must be an object with version and/or commit"));
      } else {
        unknown(art, ARTIFACT_FIELDS, "$.artifact", problems);
        String version = text(art, "version", problems);
        String commit = text(art, "commit", problems);
        artifact = version == null && commit == null ? null : new Artifact(version, commit);
      }
    }
    return problems.isEmpty()
        ? Checked.valid(new OutcomeRequest(status, actual, artifact))
        : Checked.invalid(problems);
  }

  private static void unknown(JsonNode node, List<String> known, String at, List<FieldError> out) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        out.add(new FieldError(JsonShape.member(at, name), JsonShape.unknownField(name, known)));
      }
    }
  }

  private static String text(JsonNode artifact, String field, List<FieldError> out) {
    JsonNode v = artifact.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_TEXT) {
      out.add(
          new FieldError(
              "$.artifact." + field,
              "must be a non-blank string of at most " + MAX_TEXT + " characters"));
      return null;
    }
    return v.asText();
  }

  /** SHA-256 of the canonical outcome: a resent report has the same one. */
  public String fingerprint() {
    String canonical =
        status.wireName()
            + "\n"
            + (actualCredits == null ? "" : actualCredits)
            + "\n"
            + (artifact == null || artifact.version() == null ? "" : "v:" + artifact.version())
            + "\n"
            + (artifact == null || artifact.commit() == null ? "" : "c:" + artifact.commit());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /**
   * What the run used: the reported amount; for a cancelled run that reported none, nothing (it
   * never started); otherwise all of what was charged.
   */
  public long actualOr(long charged) {
    if (actualCredits != null) {
      return actualCredits;
    }
    return status == RunStatus.CANCELLED ? 0 : charged;
  }
}
