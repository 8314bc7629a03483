package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.JsonShape;
import io.dvo.gate.json.Json;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Structurally mutated JSON bodies, sent through the HTTP handlers of the gate, evaluate, tenant
 * policy admin, quota settings and approval decisions: a valid body of each, with one mutation at
 * one position (a value of another JSON type, an unknown key, a duplicated key, deep nesting, huge
 * and decimal numbers, unicode and text that is not unicode, a removed key), or garbage text.
 *
 * <p>Every answer is below 500 and names no Java type; every 4xx is a problem document with a
 * {@code code} and a {@code detail}; and where the mutation makes the body wrong for certain (a
 * value of another type where the type is fixed, an unknown key where keys are fixed, a duplicated
 * key, an unpaired surrogate) it is refused with 400, naming the mutated position.
 */
class BodyFuzzTest {
  /** Java packages, exception types, Jackson's back-quoted type names, stack frames. */
  private static final Pattern INTERNALS =
      Pattern.compile(
          "java\\.|javax\\.|com\\.fasterxml|io\\.dvo|[A-Za-z]+(Exception|Error)\\b|`[^`]*`|\tat ");

  private static GateFixture fixture;
  private static HttpApi api;
  private static String approvalId;

  @BeforeContainer
  static void start() {
    fixture = GateFixture.create();
    api = fixture.app.httpApi();
    HttpResponse pending =
        send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            "{\"tenant_id\":\"demo\",\"idempotency_key\":\"fuzz-approval\","
                + "\"agent_id\":\"payments-api\",\"environment\":\"production\",\"estimate\":1}");
    approvalId = json(pending.bodyText()).path("approval").path("id").asText();
    assertThat(approvalId).as(pending.bodyText()).isNotBlank();
  }

  @AfterContainer
  static void stop() {
    fixture.close();
  }

  // ---- the bodies and where their shape is fixed ---------------------------------------------

  private static final String GATE =
      "{\"tenant_id\":\"demo\",\"idempotency_key\":\"fuzz-1\",\"agent_id\":\"payments-api\","
          + "\"environment\":\"dev\",\"estimate\":1,"
          + "\"attributes\":{\"staging_validated\":true,\"ticket\":\"CHG-1\",\"n\":[1,2]},"
          + "\"source\":{\"kind\":\"jenkins\",\"url\":\"https://ci.example.com/job/a/1/\","
          + "\"job\":\"a\",\"build\":\"1\"},"
          + "\"plan\":{\"engagement_id\":\"eng-1\",\"scope\":{\"hosts\":[\"*.test.example\"],"
          + "\"cidrs\":[\"10.0.0.0/8\"],\"url_prefixes\":[\"https://app.test.example/\"]},"
          + "\"steps\":[{\"id\":\"s1\",\"name\":\"scan\",\"risk_tier\":\"passive\",\"estimate\":1,"
          + "\"targets\":[\"app.test.example\"]}]}}";

  private static final String RULE =
      "{\"id\":\"fuzz-rule\",\"name\":\"Fuzz\",\"description\":\"d\",\"priority\":50,"
          + "\"enabled\":true,\"condition_logic\":\"AND\",\"environments\":[\"staging\"],"
          + "\"agents\":[\"payments-api\"],\"conditions\":["
          + "{\"field\":\"config.ticket\",\"operator\":\"equals\",\"value\":\"CHG-1\"},"
          + "{\"field\":\"agent_id\",\"operator\":\"matches\",\"value\":\"payments-.*\"}],"
          + "\"action\":\"require_approval\",\"action_params\":{\"required_roles\":[\"security\"],"
          + "\"min_approvals\":1,\"expiry_hours\":4,\"reason\":\"why\"}}";

  /** Where each body's keys are data (any key may appear) and where values are free-form. */
  enum Target {
    GATE_DECIDE(
        "POST",
        "/api/v1/gate",
        Identity.REQUESTER,
        GATE,
        p -> p.startsWith("$.attributes."),
        p -> p.equals("$.attributes") || p.startsWith("$.attributes.")),
    EVALUATE(
        "POST",
        "/api/v1/evaluate",
        Identity.REQUESTER,
        GATE,
        p -> p.startsWith("$.attributes."),
        p -> p.equals("$.attributes") || p.startsWith("$.attributes.")),
    POLICY_CREATE(
        "POST",
        "/api/v1/policies",
        Identity.ADMIN,
        RULE.replace("fuzz-rule", "fuzz-new"),
        BodyFuzzTest::conditionValue,
        BodyFuzzTest::conditionValue),
    POLICY_REPLACE(
        "PUT",
        "/api/v1/policies/fuzz-rule",
        Identity.ADMIN,
        RULE,
        BodyFuzzTest::conditionValue,
        BodyFuzzTest::conditionValue),
    POLICY_TOGGLE(
        "PUT",
        "/api/v1/policies/mc-prod-approval",
        Identity.ADMIN,
        "{\"enabled\":true,\"reason\":\"fuzzing\"}",
        p -> false,
        p -> false),
    QUOTA(
        "PUT",
        "/api/v1/quotas/demo",
        Identity.ADMIN,
        "{\"tenant_id\":\"demo\",\"monthly_budget\":1000000,\"per_plan_cap\":1000,"
            + "\"engagement_caps\":{\"eng-1\":500}}",
        p -> false,
        p -> p.equals("$.engagement_caps")),
    APPROVE(
        "POST",
        "/approve",
        Identity.APPROVER,
        "{\"comment\":\"looks fine\"}",
        p -> false,
        p -> false),
    REJECT("POST", "/reject", Identity.APPROVER_2, "{\"reason\":\"no\"}", p -> false, p -> false),
    CANCEL("POST", "/cancel", Identity.REQUESTER, "{\"reason\":\"stop\"}", p -> false, p -> false);

    final String method;
    final String path;
    final Identity who;
    final String seed;
    final Predicate<String> freeValue;
    final Predicate<String> dataKeys;

    Target(
        String method,
        String path,
        Identity who,
        String seed,
        Predicate<String> freeValue,
        Predicate<String> dataKeys) {
      this.method = method;
      this.path = path;
      this.who = who;
      this.seed = seed;
      this.freeValue = freeValue;
      this.dataKeys = dataKeys;
    }

    String path() {
      return path.startsWith("/api/") ? path : "/api/v1/approvals/demo/" + approvalId + path;
    }
  }

  private static boolean conditionValue(String path) {
    return path.matches("\\$\\.conditions\\[\\d+]\\.value.*");
  }

  // ---- a small JSON model that can hold what Jackson's cannot: duplicate keys, raw literals ----

  enum Kind {
    OBJECT,
    ARRAY,
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL
  }

  sealed interface J permits Obj, Arr, Raw {
    Kind kind();

    void write(StringBuilder out);
  }

  record Obj(List<Map.Entry<String, J>> members) implements J {
    public Kind kind() {
      return Kind.OBJECT;
    }

    public void write(StringBuilder out) {
      out.append('{');
      for (int i = 0; i < members.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(quote(members.get(i).getKey())).append(':');
        members.get(i).getValue().write(out);
      }
      out.append('}');
    }
  }

  record Arr(List<J> items) implements J {
    public Kind kind() {
      return Kind.ARRAY;
    }

    public void write(StringBuilder out) {
      out.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        items.get(i).write(out);
      }
      out.append(']');
    }
  }

  /** A scalar (or any value) as literal JSON text. */
  record Raw(String text, Kind kind) implements J {
    public void write(StringBuilder out) {
      out.append(text);
    }
  }

  private static String quote(String text) {
    return Json.mapper().getNodeFactory().textNode(text).toString();
  }

  private static J model(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, J>> members = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        members.add(Map.entry(field.getKey(), model(field.getValue())));
      }
      return new Obj(members);
    }
    if (node.isArray()) {
      List<J> items = new ArrayList<>();
      node.forEach(item -> items.add(model(item)));
      return new Arr(items);
    }
    Kind kind =
        node.isTextual()
            ? Kind.STRING
            : node.isIntegralNumber()
                ? Kind.INTEGER
                : node.isNumber() ? Kind.DECIMAL : node.isBoolean() ? Kind.BOOLEAN : Kind.NULL;
    return new Raw(node.toString(), kind);
  }

  /** Every value of a document with its JSON path (paths as the gate writes them). */
  private static void positions(J value, String path, Map<String, J> out) {
    out.put(path, value);
    if (value instanceof Obj obj) {
      for (Map.Entry<String, J> member : obj.members()) {
        positions(member.getValue(), path + JsonShape.member(member.getKey()), out);
      }
    } else if (value instanceof Arr arr) {
      for (int i = 0; i < arr.items().size(); i++) {
        positions(arr.items().get(i), path + "[" + i + "]", out);
      }
    }
  }

  /** The document with the value at {@code target} (by identity) replaced by {@code f(value)}. */
  private static J replace(J value, J target, java.util.function.UnaryOperator<J> f) {
    if (value == target) {
      return f.apply(value);
    }
    if (value instanceof Obj obj) {
      List<Map.Entry<String, J>> members = new ArrayList<>();
      for (Map.Entry<String, J> member : obj.members()) {
        members.add(Map.entry(member.getKey(), replace(member.getValue(), target, f)));
      }
      return new Obj(members);
    }
    if (value instanceof Arr arr) {
      return new Arr(arr.items().stream().map(item -> replace(item, target, f)).toList());
    }
    return value;
  }

  // ---- the values a mutation puts in -----------------------------------------------------------

  private static final List<Raw> VALUES =
      List.of(
          new Raw("\"\"", Kind.STRING),
          new Raw("\"100\"", Kind.STRING),
          new Raw("\"0.9\"", Kind.STRING),
          new Raw("\"true\"", Kind.STRING),
          new Raw("\"Production\"", Kind.STRING),
          new Raw("\"../x y\"", Kind.STRING),
          new Raw("\"Ünïcödé ✓ 🚀 漢字\"", Kind.STRING),
          new Raw("\"\\u0000\\u001f\\n\\t\"", Kind.STRING),
          new Raw("\"a\\\"b\\\\c\"", Kind.STRING),
          new Raw("\"" + "x".repeat(3000) + "\"", Kind.STRING),
          new Raw("0", Kind.INTEGER),
          new Raw("-1", Kind.INTEGER),
          new Raw("100", Kind.INTEGER),
          new Raw("9007199254740993", Kind.INTEGER),
          new Raw("9223372036854775808", Kind.INTEGER),
          new Raw("-9223372036854775809", Kind.INTEGER),
          new Raw("1" + "0".repeat(40), Kind.INTEGER),
          new Raw("0.9", Kind.DECIMAL),
          new Raw("100.0", Kind.DECIMAL),
          new Raw("-0.0", Kind.DECIMAL),
          new Raw("1e400", Kind.DECIMAL),
          new Raw("1e-400", Kind.DECIMAL),
          new Raw("2.5E2", Kind.DECIMAL),
          new Raw("true", Kind.BOOLEAN),
          new Raw("false", Kind.BOOLEAN),
          new Raw("null", Kind.NULL),
          new Raw("{}", Kind.OBJECT),
          new Raw("{\"a\":1,\"id\":\"x\"}", Kind.OBJECT),
          new Raw("[]", Kind.ARRAY),
          new Raw("[1,\"x\",null,{}]", Kind.ARRAY),
          new Raw("[".repeat(40) + "]".repeat(40), Kind.ARRAY),
          new Raw("{\"a\":".repeat(40) + "1" + "}".repeat(40), Kind.OBJECT));

  /** Not unicode: an unpaired surrogate, escaped (the only way JSON text can carry one). */
  private static final Raw LONE_SURROGATE = new Raw("\"a\\ud800b\"", Kind.STRING);

  private static final List<String> GARBAGE =
      List.of(
          "",
          " ",
          "{",
          "}",
          "null",
          "[]",
          "\"text\"",
          "123",
          "{\"a\":1}{}",
          "{\"a\" 1}",
          "{'a':1}",
          "{\"a\":NaN}",
          "{\"a\":01}",
          "{\"a\":.5}",
          "{\"a\":1,}",
          "[".repeat(1500) + "]".repeat(1500),
          "{\"a\":".repeat(1200) + "1" + "}".repeat(1200),
          "\u00ff\u00fe garbage",
          "{\"a\":\"\\x41\"}",
          "{\"a\":\"\\u12\"}",
          "action=approve&csrf=%zz");

  enum Mutation {
    REPLACE,
    RANDOM_TEXT,
    LONE_SURROGATE,
    UNKNOWN_KEY,
    ODD_KEY,
    DUPLICATE_KEY,
    REMOVE_KEY,
    WRAP_DEEP,
    TRUNCATE
  }

  record Case(Target target, Mutation mutation, int position, int value, String text) {}

  @Provide
  Arbitrary<Case> cases() {
    return Combinators.combine(
            Arbitraries.of(Target.values()),
            Arbitraries.of(Mutation.values()),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.strings().all().ofMaxLength(24))
        .as(Case::new);
  }

  /** What a mutated body must get, beyond the rules every answer follows. */
  record Expectation(String body, boolean refused, String namedPath, String description) {}

  private static Expectation mutate(Case c) {
    J seed = model(json(c.target().seed));
    Map<String, J> all = new LinkedHashMap<>();
    positions(seed, "$", all);
    List<String> paths = new ArrayList<>(all.keySet());
    String path = paths.get(c.position() % paths.size());
    J at = all.get(path);
    boolean fixedType = !c.target().freeValue.test(path);
    switch (c.mutation()) {
      case REPLACE -> {
        Raw value = VALUES.get(c.value() % VALUES.size());
        J body = replace(seed, at, old -> value);
        boolean wrongType = fixedType && value.kind() != Kind.NULL && value.kind() != at.kind();
        return new Expectation(
            text(body),
            wrongType,
            wrongType ? path : null,
            path + " := " + abbreviate(value.text()));
      }
      case RANDOM_TEXT -> {
        J body = replace(seed, at, old -> new Raw(quote(c.text()), Kind.STRING));
        boolean wrongType = fixedType && at.kind() != Kind.STRING;
        return new Expectation(
            text(body), wrongType, wrongType ? path : null, path + " := text " + quote(c.text()));
      }
      case LONE_SURROGATE -> {
        J body = replace(seed, at, old -> LONE_SURROGATE);
        return new Expectation(text(body), true, path, path + " := lone surrogate");
      }
      case UNKNOWN_KEY, ODD_KEY -> {
        String key =
            c.mutation() == Mutation.UNKNOWN_KEY
                ? "zz_unknown"
                : List.of("", "ключ", "a b", "$", "__proto__", "x".repeat(300)).get(c.value() % 6);
        if (!(at instanceof Obj)) {
          return new Expectation(text(seed), false, null, "unchanged");
        }
        J body =
            replace(
                seed,
                at,
                old -> {
                  List<Map.Entry<String, J>> members = new ArrayList<>(((Obj) old).members());
                  members.add(Map.entry(key, new Raw("1", Kind.INTEGER)));
                  return new Obj(members);
                });
        boolean strict =
            c.mutation() == Mutation.UNKNOWN_KEY
                && !c.target().dataKeys.test(path)
                && !c.target().freeValue.test(path);
        return new Expectation(
            text(body),
            strict,
            strict ? path + JsonShape.member(key) : null,
            path + " gets key " + abbreviate(key));
      }
      case DUPLICATE_KEY -> {
        if (!(at instanceof Obj obj) || obj.members().isEmpty()) {
          return new Expectation(text(seed), false, null, "unchanged");
        }
        J body =
            replace(
                seed,
                at,
                old -> {
                  List<Map.Entry<String, J>> members = new ArrayList<>(((Obj) old).members());
                  members.add(members.get(c.value() % members.size()));
                  return new Obj(members);
                });
        return new Expectation(text(body), true, null, path + " duplicates a key");
      }
      case REMOVE_KEY -> {
        if (!(at instanceof Obj obj) || obj.members().isEmpty()) {
          return new Expectation(text(seed), false, null, "unchanged");
        }
        J body =
            replace(
                seed,
                at,
                old -> {
                  List<Map.Entry<String, J>> members = new ArrayList<>(((Obj) old).members());
                  members.remove(c.value() % members.size());
                  return new Obj(members);
                });
        return new Expectation(text(body), false, null, path + " loses a key");
      }
      case WRAP_DEEP -> {
        int depth = List.of(1, 3, 50, 1200).get(c.value() % 4);
        J body =
            replace(
                seed,
                at,
                old -> {
                  J wrapped = old;
                  for (int i = 0; i < depth; i++) {
                    wrapped = new Arr(List.of(wrapped));
                  }
                  return wrapped;
                });
        boolean wrongType = fixedType && at.kind() != Kind.ARRAY || depth >= 1000;
        return new Expectation(
            text(body),
            wrongType,
            wrongType && depth < 1000 ? path : null,
            path + " wrapped in " + depth + " arrays");
      }
      case TRUNCATE -> {
        String text = text(seed);
        int cut = 1 + c.value() % (text.length() - 1);
        return new Expectation(text.substring(0, cut), true, null, "cut at " + cut);
      }
    }
    throw new AssertionError(c);
  }

  @Property(tries = 700, shrinking = ShrinkingMode.BOUNDED)
  void mutatedBodiesAreRefusedOrAcceptedButNeverCrashOrLeakInternals(@ForAll("cases") Case c) {
    Expectation expected = mutate(c);
    HttpResponse response =
        send(c.target().method, c.target().path(), c.target().who, expected.body);
    String what =
        c.target() + " " + expected.description() + " -> " + abbreviate(response.bodyText());
    assertAnswerFollowsTheRules(response, what);
    if (expected.refused()) {
      assertThat(response.status()).as(what).isEqualTo(400);
    }
    if (expected.namedPath() != null) {
      JsonNode errors = json(response.bodyText()).path("errors");
      List<String> named = new ArrayList<>();
      errors.forEach(error -> named.add(normalise(error.path("path").asText())));
      assertThat(named).as(what).contains(normalise(expected.namedPath()));
    }
  }

  @Property(tries = 120)
  void garbageBodiesAreProblemsNeverCrashes(
      @ForAll("targets") Target target, @ForAll("garbage") String body) {
    HttpResponse response = send(target.method, target.path(), target.who, body);
    String what = target + " " + abbreviate(body) + " -> " + abbreviate(response.bodyText());
    assertAnswerFollowsTheRules(response, what);
    if (!body.isEmpty()) {
      assertThat(response.status()).as(what).isEqualTo(400);
    }
  }

  @Provide
  Arbitrary<Target> targets() {
    return Arbitraries.of(Target.values());
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.of(GARBAGE);
  }

  private static void assertAnswerFollowsTheRules(HttpResponse response, String what) {
    assertThat(response.status()).as(what).isLessThan(500);
    assertThat(INTERNALS.matcher(response.bodyText()).find()).as("internals in " + what).isFalse();
    if (response.status() >= 400) {
      assertThat(response.header("Content-Type")).as(what).startsWith(HttpResponse.PROBLEM_JSON);
      JsonNode problem = json(response.bodyText());
      assertThat(problem.path("code").asText()).as(what).isNotBlank();
      assertThat(problem.path("detail").asText()).as(what).isNotBlank();
      assertThat(problem.path("status").asInt()).as(what).isEqualTo(response.status());
    }
  }

  /** The policy parser writes paths inside the rule without {@code $.}; compare them alike. */
  private static String normalise(String path) {
    return path.startsWith("$.") ? path.substring(2) : path.equals("$") ? "" : path;
  }

  private static HttpResponse send(String method, String path, Identity who, String body) {
    Map<String, String> headers = new LinkedHashMap<>(who.headers());
    headers.put("Content-Type", "application/json");
    headers.put("X-Tenant-Id", "demo");
    return api.handle(
        new HttpRequest(
            method,
            path,
            Map.of(),
            Headers.of(headers),
            body.getBytes(StandardCharsets.UTF_8),
            ""));
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + abbreviate(text), e);
    }
  }

  private static String text(J value) {
    StringBuilder out = new StringBuilder();
    value.write(out);
    return out.toString();
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
