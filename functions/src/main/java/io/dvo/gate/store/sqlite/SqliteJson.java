package io.dvo.gate.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.StoreUnavailableException;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Records as JSON text in the wire format; a row that does not parse is a store failure. Rows are
 * read tolerantly: fields a newer gate wrote and this one does not know are ignored.
 */
final class SqliteJson {
  private SqliteJson() {}

  static String write(Object value) throws SQLException {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(String json, Class<T> type) throws SQLException {
    try {
      T value = Json.lenientMapper().readValue(json, type);
      if (value == null) {
        // A row holding JSON null (written by hand or by a broken tool) is as unusable as garbage.
        throw new SQLException("stored " + type.getSimpleName() + " is null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new SQLException("stored " + type.getSimpleName() + " does not parse", e);
    }
  }

  /** A fresh ETag: random, so a deleted and re-created row never matches an old tag. */
  static String newEtag() {
    return UUID.randomUUID().toString();
  }

  static StoreUnavailableException unavailable(String operation, Exception e) {
    return new StoreUnavailableException(operation, e.getMessage(), e);
  }
}
