package io.dvo.gate.arch;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The import graph between the gate's top-level packages ({@code io.dvo.gate.X}, sub-packages
 * folded in), and its strongly connected components: every edge inside one is part of a cycle.
 */
final class PackageGraph {
  private static final String ROOT = "io.dvo.gate.";

  /** package -> packages it depends on, with one example dependency per edge. */
  final Map<String, Map<String, String>> edges = new TreeMap<>();

  PackageGraph(JavaClasses classes) {
    for (JavaClass origin : classes) {
      String from = slice(origin.getPackageName());
      if (from == null) {
        continue;
      }
      edges.computeIfAbsent(from, k -> new TreeMap<>());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String to = slice(dependency.getTargetClass().getPackageName());
        if (to != null && !to.equals(from)) {
          edges
              .get(from)
              .putIfAbsent(
                  to,
                  origin.getSimpleName() + " -> " + dependency.getTargetClass().getSimpleName());
        }
      }
    }
  }

  /** A graph given as package -> (package -> example), for testing the checker. */
  PackageGraph(Map<String, Map<String, String>> given) {
    given.forEach((from, to) -> edges.put(from, new TreeMap<>(to)));
  }

  static String slice(String packageName) {
    if (!packageName.startsWith(ROOT)) {
      return null;
    }
    String rest = packageName.substring(ROOT.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  /** The edges {@code "from -> to"} that lie on a cycle (inside a component of 2+ packages). */
  Set<String> cyclicEdges() {
    Set<String> out = new TreeSet<>();
    for (Set<String> component : components()) {
      for (String from : component) {
        for (String to : edges.getOrDefault(from, Map.of()).keySet()) {
          if (component.contains(to)) {
            out.add(from + " -> " + to);
          }
        }
      }
    }
    return out;
  }

  /** Tarjan's strongly connected components with more than one package. */
  List<Set<String>> components() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String node : edges.keySet()) {
      if (!index.containsKey(node)) {
        strongConnect(node, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private void strongConnect(
      String node,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out,
      int[] counter) {
    index.put(node, counter[0]);
    low.put(node, counter[0]);
    counter[0]++;
    stack.push(node);
    onStack.add(node);
    for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
      if (!index.containsKey(next)) {
        strongConnect(next, index, low, stack, onStack, out, counter);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        out.add(component);
      }
    }
  }
}
