package io.dvo.gate.policy;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a {@code matches} pattern (RE2 syntax) will cost before RE2 compiles it: how deeply its
 * groups nest, an upper bound of the instructions of its compiled program, and the letters it
 * matches literally. RE2 matches in linear time, but its parser, compiler and matcher recurse on
 * group nesting and on chains of optional elements, so an unbounded pattern overflows the stack of
 * every decision that evaluates it, and nested counted repetitions ({@code (a{1000}){1000}})
 * multiply into millions of instructions. The scan is one pass with an explicit stack: it cannot
 * overflow on the patterns it exists to refuse. Syntax errors are RE2's to report; this only
 * measures.
 */
final class RegexShape {
  /** Deepest group nesting accepted; everyday patterns use fewer than ten levels. */
  static final int MAX_NESTING = 100;

  /**
   * Largest estimated program accepted. On a 1 MiB thread stack, RE2/J's matcher overflows at about
   * 8,000 instructions of optional elements in a row (measured without JIT); this keeps a margin of
   * four for the frames around it and for smaller stacks.
   */
  static final int MAX_PROGRAM_SIZE = 2_000;

  private static final long CEILING = 1L << 40;

  private final int nesting;
  private final long programSize;
  private final boolean caseInsensitive;
  private final String upperCaseLiterals;
  private final String withLowerCaseLiterals;

  private RegexShape(
      int nesting,
      long programSize,
      boolean caseInsensitive,
      String upperCaseLiterals,
      String withLowerCaseLiterals) {
    this.nesting = nesting;
    this.programSize = programSize;
    this.caseInsensitive = caseInsensitive;
    this.upperCaseLiterals = upperCaseLiterals;
    this.withLowerCaseLiterals = withLowerCaseLiterals;
  }

  /** Deepest nesting of groups, capturing or not. */
  int nesting() {
    return nesting;
  }

  /** Upper bound of the compiled program's instructions (saturates at 2^40). */
  long programSize() {
    return programSize;
  }

  /** Whether the pattern turns on case-insensitive matching ({@code (?i)}) anywhere. */
  boolean caseInsensitive() {
    return caseInsensitive;
  }

  /** The upper-case letters matched literally (outside classes and escapes), in order. */
  String upperCaseLiterals() {
    return upperCaseLiterals;
  }

  /** The pattern with those literal letters in lower case, the rest unchanged. */
  String withLowerCaseLiterals() {
    return withLowerCaseLiterals;
  }

  /** Sizes of one group being scanned: finished alternatives, the current one, its last atom. */
  private static final class Group {
    final boolean capturing;
    long finished;
    int alternatives;
    long current;
    long last;

    Group(boolean capturing) {
      this.capturing = capturing;
    }

    void atom(long size) {
      current = add(current, size);
      last = size;
    }

    /** A repetition of the last atom: its size becomes {@code repeated}, never smaller. */
    void repeat(long repeated) {
      current = add(current - last, repeated);
      last = repeated;
    }

    void alternative() {
      finished = add(finished, Math.max(current, 1));
      alternatives++;
      current = 0;
      last = 0;
    }

    long size() {
      long size =
          add(add(finished, alternatives == 0 ? current : Math.max(current, 1)), alternatives);
      return capturing ? add(size, 2) : size;
    }
  }

  static RegexShape of(String pattern) {
    Deque<Group> open = new ArrayDeque<>();
    Group group = new Group(false);
    int deepest = 0;
    boolean caseInsensitive = false;
    StringBuilder upper = new StringBuilder();
    StringBuilder lowered = new StringBuilder(pattern.length());
    int n = pattern.length();
    int i = 0;
    while (i < n) {
      char c = pattern.charAt(i);
      int start = i;
      switch (c) {
        case '\\' -> {
          if (i + 1 < n && pattern.charAt(i + 1) == 'Q') {
            int end = pattern.indexOf("\\E", i + 2);
            int stop = end < 0 ? n : end;
            lowered.append("\\Q");
            for (int j = i + 2; j < stop; j++) {
              char literal = pattern.charAt(j);
              group.atom(1);
              lowered.append(literalCase(literal, upper));
            }
            i = end < 0 ? n : end + 2;
            if (end >= 0) {
              lowered.append("\\E");
            }
            continue;
          }
          i = escapeEnd(pattern, i);
          group.atom(1);
        }
        case '[' -> {
          i = classEnd(pattern, i);
          group.atom(1);
        }
        case '(' -> {
          if (i + 1 < n && pattern.charAt(i + 1) == '?') {
            int j = i + 2;
            if (j < n && (pattern.charAt(j) == 'P' || pattern.charAt(j) == '<')) {
              int close = pattern.indexOf('>', j);
              i = close < 0 ? n : close + 1;
              open.push(group);
              group = new Group(true);
            } else {
              while (j < n && pattern.charAt(j) != ':' && pattern.charAt(j) != ')') {
                j++;
              }
              String flags = pattern.substring(i + 2, j);
              int minus = flags.indexOf('-');
              if ((minus < 0 ? flags : flags.substring(0, minus)).indexOf('i') >= 0) {
                caseInsensitive = true;
              }
              boolean flagsOnly = j < n && pattern.charAt(j) == ')';
              i = Math.min(n, j + 1);
              if (!flagsOnly) {
                open.push(group);
                group = new Group(false);
              }
            }
          } else {
            i++;
            open.push(group);
            group = new Group(true);
          }
          deepest = Math.max(deepest, open.size());
        }
        case ')' -> {
          i++;
          if (!open.isEmpty()) {
            long size = group.size();
            group = open.pop();
            group.atom(size);
          }
        }
        case '|' -> {
          i++;
          group.alternative();
        }
        case '*', '+', '?' -> {
          i = lazyEnd(pattern, i + 1);
          group.repeat(add(group.last, 1));
        }
        case '{' -> {
          int[] counts = new int[2];
          int end = repeatEnd(pattern, i, counts);
          if (end < 0) {
            i++;
            group.atom(1);
          } else {
            i = lazyEnd(pattern, end);
            long times = Math.max(1, Math.max(counts[0], counts[1]));
            group.repeat(multiply(add(group.last, 1), times));
          }
        }
        default -> {
          i++;
          group.atom(1);
          lowered.append(literalCase(c, upper));
          continue;
        }
      }
      lowered.append(pattern, start, i);
    }
    while (!open.isEmpty()) { // unbalanced: RE2 refuses it, the estimate still counts it
      long size = group.size();
      group = open.pop();
      group.atom(size);
    }
    return new RegexShape(
        deepest, add(group.size(), 2), caseInsensitive, upper.toString(), lowered.toString());
  }

  private static char literalCase(char c, StringBuilder upper) {
    if (Character.isUpperCase(c)) {
      upper.append(c);
      return Character.toLowerCase(c);
    }
    return c;
  }

  /** End of an escape such as {@code \d}, {@code \pL}, {@code \p{Greek}}, {@code \x{41}}. */
  private static int escapeEnd(String pattern, int at) {
    int n = pattern.length();
    if (at + 1 >= n) {
      return n;
    }
    char kind = pattern.charAt(at + 1);
    if ((kind == 'p' || kind == 'P' || kind == 'x') && at + 2 < n) {
      if (pattern.charAt(at + 2) == '{') {
        int close = pattern.indexOf('}', at + 3);
        return close < 0 ? n : close + 1;
      }
      return Math.min(n, at + (kind == 'x' ? 4 : 3));
    }
    return at + 2;
  }

  /** End of a character class, with {@code []...]}, escapes and {@code [:alpha:]} inside. */
  private static int classEnd(String pattern, int at) {
    int n = pattern.length();
    int j = at + 1;
    if (j < n && pattern.charAt(j) == '^') {
      j++;
    }
    if (j < n && pattern.charAt(j) == ']') {
      j++;
    }
    while (j < n && pattern.charAt(j) != ']') {
      if (pattern.charAt(j) == '\\') {
        j = escapeEnd(pattern, j);
      } else if (pattern.charAt(j) == '[' && j + 1 < n && pattern.charAt(j + 1) == ':') {
        int close = pattern.indexOf(":]", j + 2);
        j = close < 0 ? j + 1 : close + 2;
      } else {
        j++;
      }
    }
    return Math.min(n, j + 1);
  }

  /** After a repetition operator: skips the {@code ?} that makes it non-greedy. */
  private static int lazyEnd(String pattern, int at) {
    return at < pattern.length() && pattern.charAt(at) == '?' ? at + 1 : at;
  }

  /**
   * End of a counted repetition {@code {n}}, {@code {n,}} or {@code {n,m}} starting at {@code at},
   * with n and m in {@code counts} (capped, so that huge counts cannot overflow); -1 when the brace
   * is a literal.
   */
  private static int repeatEnd(String pattern, int at, int[] counts) {
    int n = pattern.length();
    int which = 0;
    boolean minimum = false; // RE2 needs at least one digit before the comma
    counts[0] = 0;
    counts[1] = 0;
    for (int j = at + 1; j < n; j++) {
      char c = pattern.charAt(j);
      if (c >= '0' && c <= '9') {
        counts[which] = Math.min(1_000_000, counts[which] * 10 + (c - '0'));
        minimum |= which == 0;
      } else if (c == ',' && which == 0 && minimum) {
        which = 1;
      } else if (c == '}' && minimum) {
        return j + 1;
      } else {
        return -1;
      }
    }
    return -1;
  }

  private static long add(long a, long b) {
    return Math.min(CEILING, a + b);
  }

  private static long multiply(long a, long b) {
    return Math.min(CEILING, a * Math.min(b, 1_000_000));
  }
}
