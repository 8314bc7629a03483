package io.dvo.gate.store.cosmos;

import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The shape of the gate's Cosmos items: {@code id}, {@code tenantId} (the partition key), {@code
 * docType}, the columns queries filter on, and the record itself under {@code record} in the wire
 * format. Keeping the record whole means the wire types can evolve without a second mapping.
 */
final class CosmosDocuments {
  static final String TENANT = "tenantId";
  static final String RECORD = "record";
  static final String DOC_TYPE = "docType";

  private CosmosDocuments() {}

  /**
   * An item id for a caller-chosen id: Cosmos forbids '/', '\', '?' and '#' in ids, so those (and
   * '%', to keep the mapping one-to-one) are percent-encoded.
   */
  static String itemId(String id) {
    StringBuilder out = new StringBuilder(id.length());
    for (char ch : id.toCharArray()) {
      switch (ch) {
        case '%', '/', '\\', '?', '#' -> out.append('%').append(String.format("%02X", (int) ch));
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  /** A fixed-length item id for an arbitrary (possibly long) key. */
  static String hashed(String prefix, String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  static ObjectNode document(String tenantId, String id, String docType, Object record) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("id", id);
    doc.put(TENANT, tenantId);
    doc.put(DOC_TYPE, docType);
    if (record != null) {
      doc.set(RECORD, Json.mapper().valueToTree(record));
    }
    return doc;
  }

  static <T> T record(JsonNode item, Class<T> type, String operation) {
    JsonNode record = item.get(RECORD);
    if (record == null || record.isNull()) {
      // Fail closed as a store error: a missing record is not "no value".
      throw new StoreUnavailableException(
          operation, "a stored " + type.getSimpleName() + " item has no record", null);
    }
    try {
      // Tolerant: a newer instance may have written fields this one does not know.
      return Json.lenientMapper().treeToValue(record, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new StoreUnavailableException(
          operation, "a stored " + type.getSimpleName() + " does not parse", e);
    }
  }

  static <T> Versioned<T> versioned(JsonNode item, Class<T> type, String operation) {
    return new Versioned<>(record(item, type, operation), item.path("_etag").asText());
  }

  /**
   * A conditional write's outcome from the status that refused it (0: written, with {@code etag}):
   * 404 nothing to replace, 409 the id is taken, anything else (412) a stale ETag.
   */
  static <T> WriteResult<T> writeResult(int failedStatus, T value, String etag) {
    return switch (failedStatus) {
      case 0 -> new WriteResult.Written<>(new Versioned<>(value, etag));
      case 404 -> new WriteResult.NotFound<>();
      case 409 -> new WriteResult.AlreadyExists<>();
      default -> new WriteResult.PreconditionFailed<>();
    };
  }

  /** {@link #writeResult(int, Object, String)} of a batch whose first operation is the write. */
  static <T> WriteResult<T> writeResult(CosmosBatchResponse batch, T value) {
    return batch.isSuccessStatusCode()
        ? writeResult(0, value, batch.getResults().get(0).getETag())
        : writeResult(batch.getStatusCode(), value, null);
  }

  /** {@link #writeResult(int, Object, String)} of a single-item write. */
  static <T> WriteResult<T> writeResult(
      CosmosConnection.Attempt<? extends CosmosItemResponse<?>> attempt, T value) {
    return writeResult(
        attempt.failedStatus(), value, attempt.ok() ? attempt.response().getETag() : null);
  }
}
