package io.dvo.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.input.JsonShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads a policy pack: every {@code *.yaml} / {@code *.yml} file under a directory, except under
 * its top-level {@code tests/} (the pack's test cases). Each file holds a top-level {@code rules:}
 * list. Every problem in every file is collected; the result is a whole pack or the problems.
 */
public final class PolicyPackLoader {
  public static final String TESTS_DIR = "tests";

  private PolicyPackLoader() {}

  public static Checked<PolicyPack, PolicyProblem> load(Path dir) {
    List<PolicyProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(new PolicyProblem(dir.toString(), null, null, "", "not a directory"));
      return new Checked<>(null, problems);
    }
    List<Path> files;
    try {
      files = ruleFiles(dir);
    } catch (IOException e) {
      problems.add(
          new PolicyProblem(dir.toString(), null, null, "", "cannot list: " + e.getMessage()));
      return new Checked<>(null, problems);
    }
    if (files.isEmpty()) {
      problems.add(
          new PolicyProblem(
              dir.toString(), null, null, "", "no policy files (*.yaml, *.yml) outside tests/"));
      return new Checked<>(null, problems);
    }
    List<PolicyRule> rules = new ArrayList<>();
    Map<String, String> firstSeen = new HashMap<>();
    for (Path file : files) {
      String origin = dir.relativize(file).toString().replace('\\', '/');
      loadFile(file, origin, rules, firstSeen, problems);
    }
    PolicyPack pack = null;
    if (problems.isEmpty()) {
      try {
        pack = PolicyPack.of(rules);
        pack.engine(); // everything the engine needs must compile now, not later (kept)
      } catch (IllegalArgumentException e) {
        problems.add(new PolicyProblem(dir.toString(), null, null, "", e.getMessage()));
      }
    }
    return problems.isEmpty() ? new Checked<>(pack, List.of()) : new Checked<>(null, problems);
  }

  /** The files {@link #load} reads, sorted: every *.yaml / *.yml outside tests/. */
  public static List<Path> ruleFiles(Path dir) throws IOException {
    Path tests = dir.resolve(TESTS_DIR);
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(tests))
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".yaml") || name.endsWith(".yml");
              })
          .sorted()
          .toList();
    }
  }

  private static void loadFile(
      Path file,
      String origin,
      List<PolicyRule> rules,
      Map<String, String> firstSeen,
      List<PolicyProblem> problems) {
    LocatedYaml yaml;
    try {
      yaml = LocatedYaml.read(file);
    } catch (LocatedYaml.ReadException e) {
      problems.add(new PolicyProblem(origin, e.line(), null, "", e.getMessage()));
      return;
    }
    JsonNode root = yaml.root();
    if (!root.isObject() || !root.has("rules")) {
      problems.add(
          new PolicyProblem(
              origin, yaml.line(""), null, JsonShape.ROOT, "expected a top-level 'rules:' list"));
      return;
    }
    Iterator<String> keys = root.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!key.equals("rules")) {
        problems.add(
            new PolicyProblem(
                origin,
                yaml.line(key),
                null,
                JsonShape.member(JsonShape.ROOT, key),
                JsonShape.unknownField(key, List.of("rules"))));
      }
    }
    JsonNode list = root.get("rules");
    if (!list.isArray() || list.isEmpty()) {
      problems.add(
          new PolicyProblem(
              origin, yaml.line("rules"), null, "$.rules", "must be a non-empty list of rules"));
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      String prefix = "rules[" + i + "]";
      Checked<PolicyRule, PolicyProblem> result =
          PolicyRuleParser.parse(list.get(i), origin, path -> yaml.line(inFile(prefix, path)));
      JsonNode id = list.get(i).path("id");
      if (id.isTextual()) {
        String here = origin + ":" + yaml.line(prefix);
        String earlier = firstSeen.putIfAbsent(id.textValue(), here);
        if (earlier != null) {
          problems.add(
              new PolicyProblem(
                  origin,
                  yaml.line(prefix + ".id"),
                  id.textValue(),
                  "$.id",
                  "duplicate rule id (first defined at " + earlier + ")"));
        }
      }
      if (result.ok()) {
        rules.add(result.value());
      } else {
        problems.addAll(result.problems());
      }
    }
  }

  /**
   * The file path ({@code rules[2].conditions[0]}, as {@link LocatedYaml} spells it) of a path
   * inside the rule at {@code prefix} ({@code $.conditions[0]}, in {@link JsonShape}'s syntax).
   */
  static String inFile(String prefix, String rulePath) {
    return rulePath.startsWith(JsonShape.ROOT)
        ? prefix + rulePath.substring(JsonShape.ROOT.length())
        : prefix;
  }
}
