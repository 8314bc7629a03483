package io.dvo.gate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.input.Checked;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyPackLoaderTest {
  @TempDir Path dir;

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private List<String> problems() {
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(dir);
    assertThat(result.value()).as("a bad pack is never half-loaded").isNull();
    return result.problems().stream().map(PolicyProblem::describe).toList();
  }

  @Test
  void loadsEveryYamlAndYmlFileUnderTheDirectoryExceptTests() throws IOException {
    write("a.yaml", "rules:\n  - {id: a, name: A, action: audit_only}\n");
    write("nested/b.yml", "rules:\n  - {id: b, name: B, action: audit_only}\n");
    write("tests/cases.yaml", "cases: []\n");
    write("notes.txt", "not a policy");
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(dir);
    assertThat(result.problems()).isEmpty();
    assertThat(result.value().rules()).extracting(PolicyRule::id).containsExactly("a", "b");
  }

  @Test
  void problemsNameTheFileTheLineAndTheRule() throws IOException {
    write(
        "rules.yaml",
        String.join(
            "\n",
            "rules:",
            "  - id: good",
            "    name: Good",
            "    action: audit_only",
            "  - id: bad",
            "    name: Bad",
            "    action: deny",
            "    conditions:",
            "      - field: config.x",
            "        operator: equal",
            "        value: 1",
            ""));
    assertThat(problems())
        .containsExactly(
            "rules.yaml:10: rule bad: $.conditions[0].operator: unknown operator \"equal\" (one of:"
                + " equals, not_equals, in, not_in, matches, greater_than, less_than, contains,"
                + " exists, not_exists)");
  }

  @Test
  void everyProblemInEveryFileIsCollected() throws IOException {
    write("a.yaml", "rules:\n  - {id: a, name: A, action: nope}\n");
    write(
        "b.yaml", "rules:\n  - {id: b, action: deny}\n  - {id: c, name: C, action: warn, x: 1}\n");
    assertThat(problems())
        .containsExactly(
            "a.yaml:2: rule a: $.action: unknown action \"nope\" (one of: allow, deny,"
                + " require_approval, warn, audit_only)",
            "b.yaml:2: rule b: $.name: is required",
            "b.yaml:3: rule c: $.x: unknown field \"x\"; expected one of action, action_params,"
                + " agents, condition_logic, conditions, description, enabled, environments, id,"
                + " name, overridable, priority");
  }

  @Test
  void duplicateIdsAcrossFilesAreReportedWithTheFirstDefinition() throws IOException {
    write("a.yaml", "rules:\n  - {id: same, name: A, action: audit_only}\n");
    write("b.yaml", "\nrules:\n  - id: same\n    name: B\n    action: deny\n");
    assertThat(problems())
        .containsExactly(
            "b.yaml:3: rule same: $.id: duplicate rule id (first defined at a.yaml:2)");
  }

  @Test
  void garbageYamlIsReportedWithItsLine() throws IOException {
    write("a.yaml", "rules:\n  - id: a\n    name: [unclosed\n");
    assertThat(problems())
        .singleElement()
        .asString()
        .startsWith("a.yaml:")
        .contains("not valid YAML");
  }

  @Test
  void fileShapeProblemsAreReported() throws IOException {
    write("empty.yaml", "");
    write("list.yaml", "- id: a\n");
    write("extra.yaml", "rules:\n  - {id: e, name: E, action: deny}\nrule:\n  - x\n");
    write("none.yaml", "rules: []\n");
    write("scalar.yaml", "rules: everything\n");
    write("dupkey.yaml", "rules:\n  - id: d\n    name: D\n    name: E\n    action: deny\n");
    write("twodocs.yaml", "rules:\n  - {id: t, name: T, action: deny}\n---\nrules: []\n");
    assertThat(problems())
        .containsExactlyInAnyOrder(
            "dupkey.yaml:4: duplicate key 'name'",
            "empty.yaml: file is empty",
            "extra.yaml:3: $.rule: unknown field \"rule\"; expected one of rules",
            "list.yaml:1: $: expected a top-level 'rules:' list",
            "none.yaml:1: $.rules: must be a non-empty list of rules",
            "scalar.yaml:1: $.rules: must be a non-empty list of rules",
            "twodocs.yaml:4: more than one YAML document");
  }

  @Test
  void aMissingOrEmptyDirectoryIsAProblemNotAnEmptyPack() throws IOException {
    Checked<PolicyPack, PolicyProblem> missing = PolicyPackLoader.load(dir.resolve("nope"));
    assertThat(missing.ok()).isFalse();
    assertThat(missing.problems().get(0).message()).isEqualTo("not a directory");
    write("tests/only.yaml", "cases: []\n");
    assertThat(problems())
        .singleElement()
        .asString()
        .endsWith("no policy files (*.yaml, *.yml) outside tests/");
  }

  @Test
  void yamlWordsLikeNoAndOffStayStrings() throws IOException {
    write(
        "a.yaml",
        "rules:\n  - {id: off, name: no, action: deny, action_params: {reason: no},"
            + " conditions: [{field: config.answer, operator: equals, value: yes}]}\n");
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(dir);
    assertThat(result.problems()).isEmpty();
    PolicyRule rule = result.value().rules().get(0);
    assertThat(rule.id()).isEqualTo("off");
    assertThat(rule.conditions().get(0).value().textValue()).isEqualTo("yes");
  }
}
