package io.dvo.gate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI in-process: output, exit codes, and one-line errors instead of stack traces. */
class PolicyCommandTest {
  private static final Path PACK = Path.of("..", "policies");

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path file(String name, String text) throws IOException {
    Path file = tmp.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void evalReadsTheRequestFromStandardInput() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    PolicyCommand.Eval eval =
        cli.getSubcommands().get("policy").getSubcommands().get("eval").getCommand();
    eval.stdin =
        new java.io.ByteArrayInputStream(
            "{\"agent_id\":\"billing\",\"environment\":\"dev\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    int exit =
        cli.execute(
            "policy",
            "eval",
            "--policies",
            PACK.toString(),
            "--input",
            "-",
            "--at",
            "2026-11-18T10:00:00Z");
    assertThat(exit).isZero();
    assertThat(Json.mapper().readTree(out.toString()).get("decision").textValue())
        .isEqualTo("allow");
  }

  @Test
  void testWritesAJUnitReportWithOneCasePerPolicyTestCase() throws Exception {
    Path xml = tmp.resolve("policy-tests.xml");
    Run run = run("policy", "test", PACK.toString(), "--junit", xml.toString());
    assertThat(run.exit()).as(run.out()).isZero();
    String report = Files.readString(xml);
    long cases = run.out().lines().filter(l -> l.startsWith("PASS ")).count();
    assertThat(cases).isPositive();
    assertThat(report.split("<testcase ", -1).length - 1).isEqualTo((int) cases);
    assertThat(report).contains("failures=\"0\"").startsWith("<?xml");
    javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(xml.toFile()); // well-formed
  }

  @Test
  void aFailingPolicyTestCaseIsAJUnitFailure() throws Exception {
    file(
        "pack/a.yaml",
        "rules:\n  - {id: a, name: A, action: deny, conditions: [{field: environment, operator:"
            + " equals, value: prod}]}\n");
    file(
        "pack/tests/t.yaml",
        "cases:\n  - name: \"prod <is> allowed & fine\"\n    input: {agent_id: x, environment: prod}\n"
            + "    at: 2026-11-18T10:00:00Z\n    expect: {decision: allow, matched_rules: []}\n");
    Path xml = tmp.resolve("out.xml");
    Run run = run("policy", "test", tmp.resolve("pack").toString(), "--junit", xml.toString());
    assertThat(run.exit()).isEqualTo(1);
    String report = Files.readString(xml);
    assertThat(report).contains("<failure ").contains("prod &lt;is&gt; allowed &amp; fine");
    javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
  }

  @Test
  void validatePrintsASummaryForAValidPack() {
    Run run = run("policy", "validate", PACK.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("valid: 8 rules (7 enabled) in");
  }

  @Test
  void validatePrintsEveryProblemAndExitsOne() throws IOException {
    file("pack/a.yaml", "rules:\n  - {id: a, name: A, action: block}\n  - {id: b, action: deny}\n");
    Run run = run("policy", "validate", tmp.resolve("pack").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("a.yaml:2: rule a: $.action: unknown action \"block\"")
        .contains("a.yaml:3: rule b: $.name: is required")
        .contains("2 problem(s) in");
  }

  @Test
  void validateRefusesAPatternNestedTooDeeplyNamingTheRuleAndField() throws IOException {
    String pattern = "(".repeat(9_000) + "a" + ")".repeat(9_000);
    file(
        "deep/a.yaml",
        "rules:\n  - id: deep\n    name: Deep\n    action: deny\n    conditions:\n"
            + "      - {field: agent_id, operator: matches, value: '"
            + pattern
            + "'}\n");
    Run run = run("policy", "validate", tmp.resolve("deep").toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "a.yaml:6: rule deep: $.conditions[0].value: the pattern has groups nested 9000 deep"
                + " (at most 100)")
        .contains("1 problem(s) in");
  }

  @Test
  void evalPrintsTheDecisionJsonWithTraceByDefault() throws Exception {
    Path input =
        file(
            "req.json",
            "{\"tenant_id\":\"acme\",\"agent_id\":\"billing\",\"environment\":\"production\","
                + "\"attributes\":{\"staging_validated\":true,\"is_weekend\":false},"
                + "\"user\":{\"id\":\"u1\",\"email\":\"u1@acme.example\",\"roles\":[\"dev\"]}}");
    Run run =
        run(
            "policy",
            "eval",
            "--policies",
            PACK.toString(),
            "--input",
            input.toString(),
            "--at",
            "2026-11-21T10:00:00Z");
    assertThat(run.exit()).as(run.err()).isEqualTo(10); // deny, as dvo-gate gate
    JsonNode decision = Json.mapper().readTree(run.out());
    assertThat(decision.get("decision").textValue()).isEqualTo("deny");
    assertThat(decision.get("matched_rules").toString()).isEqualTo("[\"mc-weekend-block\"]");
    assertThat(decision.get("reasons").get(0).get("rule_id").textValue())
        .isEqualTo("mc-weekend-block");
    assertThat(decision.get("trace").size()).isEqualTo(8);
    assertThat(decision.has("approval")).isTrue();
  }

  @Test
  void evalHonoursZoneAndNoExplain() throws Exception {
    Path input =
        file(
            "req.json",
            "{\"agent_id\":\"billing\",\"environment\":\"staging\","
                + "\"plan\":{\"engagement_id\":\"e\",\"steps\":[{\"id\":\"s\",\"name\":\"s\","
                + "\"risk_tier\":\"intrusive\",\"estimate\":3}]}}");
    Run run =
        run(
            "policy",
            "eval",
            "--policies",
            PACK.toString(),
            "--input",
            input.toString(),
            "--at",
            "2026-11-18T10:00:00Z",
            "--zone",
            "America/New_York",
            "--no-explain");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode decision = Json.mapper().readTree(run.out());
    assertThat(decision.get("decision").textValue()).isEqualTo("pending_approval");
    assertThat(decision.get("warnings").size()).isEqualTo(1); // 05:00 in New York
    assertThat(decision.at("/approval/groups/0/rule_id").textValue())
        .isEqualTo("risk-intrusive-approval");
    assertThat(decision.get("trace").size()).isZero();
  }

  @Test
  void testRunsEveryCaseAndEndsWithTheCounts() {
    Run run = run("policy", "test", PACK.toString());
    assertThat(run.exit()).as(run.out()).isZero();
    String[] lines = run.out().strip().split("\n");
    assertThat(lines[lines.length - 1]).matches("[1-9][0-9]* passed, 0 failed");
    assertThat(lines.length - 1).isEqualTo(Integer.parseInt(lines[lines.length - 1].split(" ")[0]));
    assertThat(lines[0]).startsWith("PASS ");
  }

  @Test
  void testExitsOneWhenACaseFails() throws IOException {
    file("pack/rules.yaml", "rules:\n  - {id: a, name: A, action: deny}\n");
    file(
        "pack/tests/t.yaml",
        "cases:\n  - name: expects allow\n    at: 2026-11-18T10:00:00Z\n"
            + "    input: {agent_id: x, environment: dev}\n"
            + "    expect: {decision: allow, matched_rules: []}\n");
    Run run = run("policy", "test", tmp.resolve("pack").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("FAIL tests/t.yaml: expects allow: decision: expected allow, got deny")
        .endsWith("0 passed, 1 failed\n");
  }

  @Test
  void usageErrorsExitTwoWithAMessageAndNoStackTrace() throws IOException {
    Path bad = file("bad.json", "{not json");
    Path unknown = file("unknown.json", "{\"agent_id\":\"a\",\"environment\":\"e\",\"x\":1}");
    Path good = file("good.json", "{\"agent_id\":\"a\",\"environment\":\"e\"}");
    String pack = PACK.toString();
    Run[] runs = {
      run("policy", "eval", "--policies", pack, "--input", bad.toString()),
      run("policy", "eval", "--policies", pack, "--input", tmp.resolve("none.json").toString()),
      run("policy", "eval", "--policies", pack, "--input", unknown.toString()),
      run("policy", "eval", "--policies", pack, "--input", good.toString(), "--at", "yesterday"),
      run("policy", "eval", "--policies", pack, "--input", good.toString(), "--zone", "Mars/Base"),
      run(
          "policy",
          "eval",
          "--policies",
          tmp.resolve("nodir").toString(),
          "--input",
          good.toString()),
      run("policy", "validate", tmp.resolve("nodir").toString()),
      run("policy", "test"),
      run("policy"),
      run(),
    };
    for (Run r : runs) {
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).isNotBlank().doesNotContain("\tat ").doesNotContain("Exception in");
    }
    assertThat(runs[0].err()).contains("is not valid JSON");
    assertThat(runs[1].err()).contains("input file not found");
    assertThat(runs[2].err()).contains("$.x: unknown field \"x\"");
    assertThat(runs[3].err()).contains("Invalid value for option '--at'");
    assertThat(runs[5].err()).contains("not a directory");
  }

  @Test
  void evalReportsEveryInputProblemWithItsPathLikeTheGateAndNoJavaNames() throws IOException {
    Path bad =
        file(
            "bad-input.json",
            "{\"agent_id\":\"a\",\"environment\":\"production\",\"estimate\":-5,"
                + "\"plan\":{\"steps\":[{\"id\":\"s\",\"risk_tier\":\"bogus\"},null]},"
                + "\"user\":{\"roles\":\"admin\"}}");

    Run r = run("policy", "eval", "--policies", PACK.toString(), "--input", bad.toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("$.estimate: must not be negative")
        .contains("$.plan.steps[0].risk_tier: unknown risk tier \"bogus\"")
        .contains("$.plan.steps[1]")
        .contains("$.user.roles: expected")
        .doesNotContain("io.dvo")
        .doesNotContain("java.")
        .doesNotContain("Cannot construct");
  }

  @Test
  void evalOnAnInvalidPackPrintsTheProblemsAndExitsOne() throws IOException {
    file("pack/a.yaml", "rules:\n  - {id: a, name: A, action: block}\n");
    Path good = file("good.json", "{\"agent_id\":\"a\",\"environment\":\"e\"}");
    Run run =
        run(
            "policy",
            "eval",
            "--policies",
            tmp.resolve("pack").toString(),
            "--input",
            good.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("unknown action \"block\"").contains("nothing was evaluated");
  }
}
