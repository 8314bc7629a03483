package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.contract.ContractData;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An older gate reads a record a newer one wrote (rolling deploy): unknown fields are ignored. */
class SqliteJsonTolerantTest {
  @Test
  void anOlderReaderAcceptsANewerRecord() throws Exception {
    ApprovalRecord record =
        ContractData.pending("acme", "apr-1", Instant.parse("2026-11-20T10:00:00Z"));
    ObjectNode newer = (ObjectNode) Json.mapper().readTree(SqliteJson.write(record));
    newer.put("added_by_a_later_version", "x");
    newer.putObject("later_block").put("nested", 1);
    ((ObjectNode) newer.get("request")).put("later_request_field", true);

    ApprovalRecord read = SqliteJson.read(newer.toString(), ApprovalRecord.class);

    assertThat(read).isEqualTo(record);
  }

  @Test
  void wrongTypesStillFail() throws Exception {
    ApprovalRecord record =
        ContractData.pending("acme", "apr-1", Instant.parse("2026-11-20T10:00:00Z"));
    ObjectNode broken = (ObjectNode) Json.mapper().readTree(SqliteJson.write(record));
    broken.put("status", 7);
    assertThatThrownBy(() -> SqliteJson.read(broken.toString(), ApprovalRecord.class))
        .isInstanceOf(SQLException.class);
  }
}
