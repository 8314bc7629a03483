package io.dvo.gate.policy;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RuleTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine. Rules are sorted once (priority, then id) and indexed by scope, so a decision only
 * looks at the rules whose environments and agents admit the request: global rules, rules for its
 * environment, for its agent, and for both. Those four sorted lists are merged in priority order
 * without allocating. With {@code explain} every rule is visited to say why it did or did not
 * match; the decision is the same.
 *
 * <p>Rules that cannot match unless a field holds one of a fixed set of strings ({@code equals "x"}
 * or {@code in [...]} of strings, see {@link CompiledRule#anchor}) are not in the scope lists: they
 * sit in a hash index by that field's value, so a decision resolves each such field once and only
 * looks at the rules its value admits (their scope is checked then). A pack of 10,000 rules all in
 * scope, each asking for one team or one of twenty, evaluates the 1% that can match, not all of
 * them. The explain path is unchanged: it visits every rule in order.
 */
final class IndexedPolicyEngine implements PolicyEngine {
  private static final int[] NONE = new int[0];

  private final CompiledRule[] rules; // every rule, in evaluation order
  private final int[] global;
  private final Map<String, int[]> byEnvironment;
  private final Map<String, int[]> byAgent;
  private final Map<String, Map<String, int[]>> byEnvironmentAndAgent;
  private final FieldRef[] anchorFields; // fields with indexed rules, one per path
  private final List<Map<String, int[]>> anchorIndex; // per anchor field: value -> rules, sorted

  IndexedPolicyEngine(List<PolicyRule> source) {
    this(source, true);
  }

  /** {@code conditionIndex} false: every rule in the scope lists (tests compare both). */
  IndexedPolicyEngine(List<PolicyRule> source, boolean conditionIndex) {
    this.rules =
        source.stream()
            .sorted(Comparator.comparingInt(PolicyRule::priority).thenComparing(PolicyRule::id))
            .map(CompiledRule::new)
            .toArray(CompiledRule[]::new);
    List<Integer> globalList = new ArrayList<>();
    Map<String, List<Integer>> envLists = new HashMap<>();
    Map<String, List<Integer>> agentLists = new HashMap<>();
    Map<String, Map<String, List<Integer>>> bothLists = new HashMap<>();
    Map<String, FieldRef> fields = new LinkedHashMap<>();
    Map<String, Map<String, List<Integer>>> anchorLists = new HashMap<>();
    for (int i = 0; i < rules.length; i++) {
      CompiledRule rule = rules[i];
      if (!rule.rule.enabled()) {
        continue;
      }
      CompiledCondition anchor = conditionIndex ? rule.anchor() : null;
      if (anchor != null) {
        String path = anchor.field().path;
        fields.putIfAbsent(path, anchor.field());
        Map<String, List<Integer>> byValue =
            anchorLists.computeIfAbsent(path, k -> new HashMap<>());
        for (String key : anchor.indexKeys()) {
          byValue.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        continue;
      }
      boolean envScoped = !rule.environments.isEmpty();
      boolean agentScoped = !rule.agents.isEmpty();
      if (!envScoped && !agentScoped) {
        globalList.add(i);
      } else if (!agentScoped) {
        for (String env : rule.environments) {
          envLists.computeIfAbsent(env, k -> new ArrayList<>()).add(i);
        }
      } else if (!envScoped) {
        for (String agent : rule.agents) {
          agentLists.computeIfAbsent(agent, k -> new ArrayList<>()).add(i);
        }
      } else {
        for (String env : rule.environments) {
          for (String agent : rule.agents) {
            bothLists
                .computeIfAbsent(env, k -> new HashMap<>())
                .computeIfAbsent(agent, k -> new ArrayList<>())
                .add(i);
          }
        }
      }
    }
    this.global = toArray(globalList);
    this.byEnvironment = toArrays(envLists);
    this.byAgent = toArrays(agentLists);
    Map<String, Map<String, int[]>> both = new HashMap<>();
    bothLists.forEach((env, agents) -> both.put(env, toArrays(agents)));
    this.byEnvironmentAndAgent = both;
    this.anchorFields = fields.values().toArray(new FieldRef[0]);
    List<Map<String, int[]>> index = new ArrayList<>(anchorFields.length);
    for (FieldRef field : anchorFields) {
      index.add(toArrays(anchorLists.get(field.path)));
    }
    this.anchorIndex = index;
  }

  /** How many rules sit in the condition index instead of the scope lists (for tests). */
  int indexedRules() {
    int count = 0;
    for (int i = 0; i < rules.length; i++) {
      if (rules[i].rule.enabled() && !isInScopeLists(i)) {
        count++;
      }
    }
    return count;
  }

  private boolean isInScopeLists(int rule) {
    if (contains(global, rule)) {
      return true;
    }
    for (int[] list : byEnvironment.values()) {
      if (contains(list, rule)) {
        return true;
      }
    }
    for (int[] list : byAgent.values()) {
      if (contains(list, rule)) {
        return true;
      }
    }
    for (Map<String, int[]> lists : byEnvironmentAndAgent.values()) {
      for (int[] list : lists.values()) {
        if (contains(list, rule)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean contains(int[] sorted, int value) {
    return Arrays.binarySearch(sorted, value) >= 0;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Map<String, int[]> toArrays(Map<String, List<Integer>> lists) {
    Map<String, int[]> out = new HashMap<>();
    lists.forEach((key, list) -> out.put(key, toArray(list)));
    return out;
  }

  @Override
  public PolicyDecision evaluate(EvaluationContext context, boolean explain) {
    return explain ? explained(context) : fast(context);
  }

  private PolicyDecision fast(EvaluationContext context) {
    int[] a = global;
    int[] b = byEnvironment.getOrDefault(context.environment(), NONE);
    int[] c = byAgent.getOrDefault(context.agentId(), NONE);
    Map<String, int[]> forEnv = byEnvironmentAndAgent.get(context.environment());
    int[] d = forEnv == null ? NONE : forEnv.getOrDefault(context.agentId(), NONE);
    int ia = 0;
    int ib = 0;
    int ic = 0;
    int id = 0;
    int[] e = anchored(context);
    int ie = 0;
    Outcome outcome = new Outcome(context.emergency());
    while (true) {
      // The next rule in priority order is the smallest head of the four sorted index lists.
      int next = Integer.MAX_VALUE;
      if (ia < a.length) {
        next = a[ia];
      }
      if (ib < b.length && b[ib] < next) {
        next = b[ib];
      }
      if (ic < c.length && c[ic] < next) {
        next = c[ic];
      }
      if (id < d.length && d[id] < next) {
        next = d[id];
      }
      if (ie < e.length && e[ie] < next) {
        next = e[ie];
      }
      if (next == Integer.MAX_VALUE) {
        break;
      }
      if (ia < a.length && a[ia] == next) {
        ia++;
      } else if (ib < b.length && b[ib] == next) {
        ib++;
      } else if (ic < c.length && c[ic] == next) {
        ic++;
      } else if (id < d.length && d[id] == next) {
        id++;
      } else {
        ie++;
        if (!rules[next].inScope(context)) {
          continue; // the index does not know scope
        }
      }
      CompiledRule rule = rules[next];
      if (rule.conditionsHold(context) && outcome.add(rule)) {
        break;
      }
    }
    return outcome.decision(List.of());
  }

  /**
   * The indexed rules whose anchor condition this request's values admit, in evaluation order. One
   * field contributing (the usual case) returns its list as stored; several are merged.
   */
  private int[] anchored(EvaluationContext context) {
    int[] only = NONE;
    int[] merged = null;
    for (int f = 0; f < anchorFields.length; f++) {
      if (!(anchorFields[f].resolve(context) instanceof String value)) {
        continue; // only a string can satisfy an indexed condition
      }
      int[] hits = anchorIndex.get(f).get(value);
      if (hits == null) {
        continue;
      }
      if (only.length == 0 && merged == null) {
        only = hits;
      } else {
        int[] base = merged == null ? only : merged;
        merged = Arrays.copyOf(base, base.length + hits.length);
        System.arraycopy(hits, 0, merged, base.length, hits.length);
      }
    }
    if (merged == null) {
      return only;
    }
    Arrays.sort(merged); // a rule has one anchor, so no index appears twice
    return merged;
  }

  private PolicyDecision explained(EvaluationContext context) {
    Outcome outcome = new Outcome(context.emergency());
    List<RuleTrace> traces = new ArrayList<>(rules.length);
    String endedBy = null;
    for (CompiledRule rule : rules) {
      if (endedBy != null) {
        traces.add(new RuleTrace(rule.id, false, "not evaluated: denied by " + endedBy, List.of()));
        continue;
      }
      RuleTrace trace = rule.explain(context);
      traces.add(trace);
      if (trace.matched() && outcome.add(rule)) {
        endedBy = rule.id;
      }
    }
    return outcome.decision(traces);
  }

  /** What the matching rules add up to; one per evaluation. */
  private static final class Outcome {
    private final List<String> matched = new ArrayList<>(4);
    private List<String> warnings = List.of();
    private List<ApproverGroup> groups = List.of();
    private List<Reason> approvalReasons = List.of();
    private int expiryHours = Integer.MAX_VALUE;
    private List<Reason> overridden = List.of();
    private List<Reason> waived = List.of();
    private Reason denial;
    private final boolean emergency;

    Outcome(boolean emergency) {
      this.emergency = emergency;
    }

    /**
     * Records a matching rule; true when it ends evaluation (a deny). In an emergency an
     * overridable deny is recorded as overridden and evaluation goes on, so a later deny that is
     * not overridable still ends it.
     */
    boolean add(CompiledRule rule) {
      matched.add(rule.id);
      switch (rule.action) {
        case DENY -> {
          if (emergency && rule.overridable) {
            if (overridden.isEmpty()) {
              overridden = new ArrayList<>(2);
            }
            overridden.add(rule.reason);
            return false;
          }
          denial = rule.reason;
          return true;
        }
        case REQUIRE_APPROVAL -> {
          if (groups.isEmpty()) {
            groups = new ArrayList<>(2);
            approvalReasons = new ArrayList<>(2);
          }
          groups.add(rule.group);
          approvalReasons.add(rule.reason);
          expiryHours = Math.min(expiryHours, rule.expiryHours);
        }
        case WARN -> {
          if (emergency && rule.overridable) {
            if (waived.isEmpty()) {
              waived = new ArrayList<>(2);
            }
            waived.add(new Reason(rule.id, rule.warning));
            return false;
          }
          if (warnings.isEmpty()) {
            warnings = new ArrayList<>(2);
          }
          warnings.add(rule.warning);
        }
        case ALLOW, AUDIT_ONLY -> {}
      }
      return false;
    }

    PolicyDecision decision(List<RuleTrace> trace) {
      if (denial != null) {
        return new PolicyDecision(
            PolicyOutcome.DENY,
            List.of(denial),
            warnings,
            matched,
            null,
            trace,
            overridden,
            waived);
      }
      if (!groups.isEmpty()) {
        return new PolicyDecision(
            PolicyOutcome.REQUIRE_APPROVAL,
            approvalReasons,
            warnings,
            matched,
            new ApprovalRequirement(groups, expiryHours),
            trace,
            overridden,
            waived);
      }
      PolicyOutcome outcome = warnings.isEmpty() ? PolicyOutcome.ALLOW : PolicyOutcome.WARN;
      return new PolicyDecision(
          outcome, List.of(), warnings, matched, null, trace, overridden, waived);
    }
  }
}
