package io.dvo.gate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A verifiable NDJSON export: a line {@code {"checkpoint":{...}}} signed for the event before the
 * range, one line per event, and a signed checkpoint for the last event. With the key, an auditor
 * checks the range without the store ({@link #verify}): the start checkpoint anchors the first
 * event, the events chain, and the end checkpoint fixes the last one, so nothing at either end can
 * be cut or added unseen.
 */
public final class AuditExport {
  private AuditExport() {}

  /** Writes the export; answers the number of events written. */
  public static long write(
      Writer out,
      String tenantId,
      AuditAnchor start,
      Iterable<AuditEvent> events,
      AuditSigner signer,
      Instant now)
      throws IOException {
    out.write(checkpointLine(signer.checkpoint(tenantId, start, now)));
    AuditAnchor last = start;
    long count = 0;
    for (AuditEvent e : events) {
      out.write(AuditFormat.json(e));
      out.write('\n');
      last = AuditAnchor.after(e);
      count++;
    }
    out.write(checkpointLine(signer.checkpoint(tenantId, last, now)));
    return count;
  }

  private static String checkpointLine(AuditCheckpoint checkpoint) {
    return AuditFormat.json(Map.of("checkpoint", checkpoint)) + "\n";
  }

  /**
   * Checks an export's lines. Problems of form (a line that is not JSON, a missing checkpoint) are
   * reported as {@link AuditVerification.Kind#CHECKPOINT_MISMATCH} or with the line that failed.
   */
  public static AuditVerification verify(List<String> lines, AuditSigner signer) {
    List<String> body = lines.stream().filter(l -> !l.isBlank()).toList();
    if (body.size() < 2) {
      return mismatch(0, "an export has a checkpoint line at its start and at its end");
    }
    AuditCheckpoint start = checkpoint(body.get(0));
    AuditCheckpoint end = checkpoint(body.get(body.size() - 1));
    if (start == null || end == null) {
      return mismatch(0, "the first and the last line of an export are signed checkpoints");
    }
    if (!signer.verifies(start)) {
      return mismatch(start.sequence(), "the start checkpoint's signature does not verify");
    }
    if (!signer.verifies(end)) {
      return mismatch(end.sequence(), "the end checkpoint's signature does not verify");
    }
    List<AuditEvent> events = new ArrayList<>(body.size() - 2);
    for (int i = 1; i < body.size() - 1; i++) {
      try {
        AuditEvent e = AuditFormat.parseEvent(body.get(i));
        if (!start.tenantId().equals(e.tenantId())) {
          return mismatch(e.sequence(), "line " + (i + 1) + " is an event of another tenant");
        }
        events.add(e);
      } catch (IllegalArgumentException e) {
        return new AuditVerification(
            false,
            i - 1,
            -1,
            null,
            new AuditVerification.Problem(
                AuditVerification.Kind.ALTERED,
                -1,
                null,
                "line " + (i + 1) + " is not an audit event (" + e.getMessage() + ")"));
      }
    }
    AuditVerification chain = AuditVerifier.verify(events, start.anchor());
    if (!chain.intact()) {
      return chain;
    }
    if (chain.lastSequence() != end.sequence() || !chain.lastHash().equals(end.hash())) {
      return mismatch(
          end.sequence(),
          "the end checkpoint names event "
              + end.sequence()
              + ", but the export ends at event "
              + chain.lastSequence()
              + " (events cut from or added to the end)");
    }
    return chain;
  }

  private static AuditCheckpoint checkpoint(String line) {
    try {
      JsonNode node = Json.mapper().readTree(line);
      if (node == null || !node.isObject() || node.size() != 1 || !node.has("checkpoint")) {
        return null;
      }
      return Json.mapper().treeToValue(node.get("checkpoint"), AuditCheckpoint.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static AuditVerification mismatch(long sequence, String message) {
    return new AuditVerification(
        false,
        0,
        -1,
        null,
        new AuditVerification.Problem(
            AuditVerification.Kind.CHECKPOINT_MISMATCH, sequence, null, message));
  }
}
