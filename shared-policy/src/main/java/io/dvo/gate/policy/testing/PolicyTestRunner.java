package io.dvo.gate.policy.testing;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.Reason;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.LocatedYaml;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyProblem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a pack's test cases: every {@code *.yaml} / {@code *.yml} directly in {@code <pack>/tests/}.
 * Each case is decided twice, with and without explain, and the two decisions must agree (the trace
 * aside): the indexed fast path and the full walk are different code.
 */
public final class PolicyTestRunner {
  private final Path packDir;
  private final Map<Path, Checked<PolicyPack, PolicyProblem>> packs = new HashMap<>();
  private final Map<Path, PolicyEngine> engines = new HashMap<>();
  private final List<PolicyProblem> problems = new ArrayList<>();
  private final List<CaseResult> results = new ArrayList<>();

  private PolicyTestRunner(Path packDir) {
    this.packDir = packDir;
  }

  public static TestReport run(Path packDir) {
    PolicyTestRunner runner = new PolicyTestRunner(packDir.toAbsolutePath().normalize());
    runner.runAll();
    return new TestReport(runner.problems, runner.results);
  }

  private void runAll() {
    Path tests = packDir.resolve(PolicyPackLoader.TESTS_DIR);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(tests)) {
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(tests, "*.{yaml,yml}")) {
        stream.forEach(files::add);
      } catch (IOException e) {
        problem(tests, null, "cannot list test files: " + e.getMessage());
      }
    }
    files.sort(null);
    for (Path file : files) {
      if (Files.isRegularFile(file)) {
        runFile(file);
      }
    }
    if (results.isEmpty() && problems.isEmpty()) {
      problem(tests, null, "no test cases found (expected tests/*.yaml with a 'cases:' list)");
    }
  }

  private String label(Path file) {
    return packDir.relativize(file).toString().replace('\\', '/');
  }

  private void problem(Path file, Integer line, String message) {
    problems.add(new PolicyProblem(label(file), line, null, "", message));
  }

  private void runFile(Path file) {
    LocatedYaml yaml;
    try {
      yaml = LocatedYaml.read(file);
    } catch (LocatedYaml.ReadException e) {
      problem(file, e.line(), e.getMessage());
      return;
    }
    TestFile tests;
    try {
      tests = Json.mapper().treeToValue(yaml.root(), TestFile.class);
    } catch (JsonMappingException e) {
      String path = pathOf(e);
      problem(file, yaml.line(path), shapePathOf(e) + ": " + clean(e));
      return;
    } catch (IOException e) {
      problem(file, null, e.getMessage());
      return;
    }
    if (tests == null || tests.cases() == null || tests.cases().isEmpty()) {
      problem(file, yaml.line(""), "$.cases: must be a non-empty list");
      return;
    }
    Path pack = tests.pack() == null ? packDir : file.getParent().resolve(tests.pack()).normalize();
    Checked<PolicyPack, PolicyProblem> loaded = packs.computeIfAbsent(pack, PolicyPackLoader::load);
    if (!loaded.ok()) {
      for (PolicyProblem p : loaded.problems()) {
        problem(file, yaml.line("pack"), "pack " + tests.pack() + ": " + p.describe());
      }
      return;
    }
    PolicyEngine policyEngine = engines.computeIfAbsent(pack, p -> loaded.value().engine());
    for (int i = 0; i < tests.cases().size(); i++) {
      TestFile.TestCase testCase = tests.cases().get(i);
      String at = "cases[" + i + "]";
      String shown = io.dvo.gate.input.JsonShape.index("$.cases", i);
      String[] invalid = invalid(testCase);
      if (invalid != null) {
        problem(
            file,
            yaml.line(at),
            io.dvo.gate.input.JsonShape.member(shown, invalid[0]) + ": " + invalid[1]);
        continue;
      }
      ZoneId zone;
      try {
        String zoneName = testCase.zone() != null ? testCase.zone() : tests.zone();
        zone = zoneName == null ? ZoneOffset.UTC : ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        problem(
            file, yaml.line(at + ".zone"), shown + ".zone: unknown time zone: " + e.getMessage());
        continue;
      }
      PolicyInput input;
      try {
        input = PolicyInput.parse(testCase.input());
      } catch (PolicyInput.InvalidInputException e) {
        problem(file, yaml.line(at + ".input"), shown + ".input: " + e.getMessage());
        continue;
      }
      io.dvo.gate.policy.CalendarFacts calendar = io.dvo.gate.policy.CalendarFacts.NONE;
      TestFile.CalendarInput given = testCase.calendar();
      if (given != null) {
        boolean inFreeze = Boolean.TRUE.equals(given.inFreeze()) || given.freezeName() != null;
        String name =
            inFreeze ? (given.freezeName() == null ? "freeze" : given.freezeName()) : null;
        calendar =
            new io.dvo.gate.policy.CalendarFacts(
                inFreeze, name, Boolean.TRUE.equals(given.isHoliday()));
      }
      EvaluationContext context = input.toContext(testCase.at(), zone, calendar);
      results.add(
          new CaseResult(
              label(file), testCase.name(), check(policyEngine, context, testCase.expect())));
    }
  }

  /** The member of a test case that is missing, and what to write; null when none is. */
  private static String[] invalid(TestFile.TestCase c) {
    if (c.name() == null || c.name().isBlank()) {
      return new String[] {"name", "is required"};
    }
    if (c.at() == null) {
      return new String[] {"at", "is required (an ISO instant, e.g. 2026-11-21T10:00:00Z)"};
    }
    if (c.input() == null) {
      return new String[] {"input", "is required"};
    }
    if (c.expect() == null || c.expect().decision() == null || c.expect().matchedRules() == null) {
      return new String[] {"expect", "is required, with decision and matched_rules"};
    }
    return null;
  }

  static List<String> check(
      PolicyEngine engine, EvaluationContext context, TestFile.Expectation expect) {
    PolicyDecision fast = engine.evaluate(context, false);
    PolicyDecision explained = engine.evaluate(context, true);
    List<String> failures = new ArrayList<>();
    if (!withoutTrace(explained).equals(fast)) {
      failures.add("explain and fast evaluation disagree: " + fast + " vs " + explained);
    }
    if (fast.decision() != expect.decision()) {
      failures.add(
          "decision: expected "
              + expect.decision().wireName()
              + ", got "
              + fast.decision().wireName());
    }
    if (!fast.matchedRules().equals(expect.matchedRules())) {
      failures.add(
          "matched_rules: expected " + expect.matchedRules() + ", got " + fast.matchedRules());
    }
    if (expect.reasons() != null && !reasonsMatch(expect.reasons(), fast.reasons())) {
      failures.add("reasons: expected " + expect.reasons() + ", got " + fast.reasons());
    }
    if (expect.warnings() != null && !expect.warnings().equals(fast.warnings())) {
      failures.add("warnings: expected " + expect.warnings() + ", got " + fast.warnings());
    }
    if (expect.overridden() != null) {
      List<String> got = new ArrayList<>();
      fast.overridden().forEach(r -> got.add(r.ruleId()));
      fast.waived().forEach(r -> got.add(r.ruleId()));
      if (!got.equals(expect.overridden())) {
        failures.add("overridden: expected " + expect.overridden() + ", got " + got);
      }
    }
    if (expect.approval() != null) {
      String approval = approvalMismatch(expect.approval(), fast);
      if (approval != null) {
        failures.add(approval);
      }
    }
    return failures;
  }

  private static PolicyDecision withoutTrace(PolicyDecision d) {
    return new PolicyDecision(
        d.decision(),
        d.reasons(),
        d.warnings(),
        d.matchedRules(),
        d.approval(),
        List.of(),
        d.overridden(),
        d.waived());
  }

  private static boolean reasonsMatch(List<TestFile.ExpectedReason> expected, List<Reason> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      TestFile.ExpectedReason want = expected.get(i);
      Reason got = actual.get(i);
      if (!Objects.equals(want.ruleId(), got.ruleId())
          || (want.message() != null && !want.message().equals(got.message()))) {
        return false;
      }
    }
    return true;
  }

  private static String approvalMismatch(TestFile.ExpectedApproval want, PolicyDecision got) {
    if (got.approval() == null) {
      return "approval: expected groups " + want.groups() + ", got none";
    }
    if (want.expiryHours() != null && want.expiryHours() != got.approval().expiryHours()) {
      return "approval.expiry_hours: expected "
          + want.expiryHours()
          + ", got "
          + got.approval().expiryHours();
    }
    if (want.groups() == null) {
      return null;
    }
    List<ApproverGroup> groups = got.approval().groups();
    boolean same = want.groups().size() == groups.size();
    for (int i = 0; same && i < groups.size(); i++) {
      TestFile.ExpectedGroup w = want.groups().get(i);
      ApproverGroup g = groups.get(i);
      same =
          Objects.equals(w.ruleId(), g.ruleId())
              && (w.roles() == null || w.roles().equals(g.roles()))
              && (w.users() == null || w.users().equals(g.users()))
              && (w.minApprovals() == null || w.minApprovals() == g.minApprovals());
    }
    return same ? null : "approval.groups: expected " + want.groups() + ", got " + groups;
  }

  /** The same path in {@link io.dvo.gate.input.JsonShape}'s syntax, for messages. */
  private static String shapePathOf(JsonMappingException e) {
    String out = io.dvo.gate.input.JsonShape.ROOT;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out = io.dvo.gate.input.JsonShape.member(out, ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out = io.dvo.gate.input.JsonShape.index(out, ref.getIndex());
      }
    }
    return out;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String clean(JsonMappingException e) {
    if (e instanceof InvalidFormatException bad) {
      // Jackson's text names Java types and exceptions; say what a test author must write.
      String expected =
          bad.getTargetType() == Instant.class
              ? "an ISO instant such as 2026-11-18T10:00:00Z"
              : "a " + bad.getTargetType().getSimpleName();
      return "expected " + expected + ", got " + Json.mapper().valueToTree(bad.getValue());
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return io.dvo.gate.input.JsonShape.unknownField(
          unknown.getPropertyName(),
          unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
    }
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" (class ");
    return cut > 0 ? message.substring(0, cut) : message;
  }
}
