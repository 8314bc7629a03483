package io.dvo.gate.cli;

import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.testing.CaseResult;
import io.dvo.gate.policy.testing.TestReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy test run as JUnit XML (the format every CI shows per test): one {@code testsuite} per
 * test file, one {@code testcase} per case, a {@code failure} with what differed; problems loading
 * the pack or the tests are failures of a {@code pack} suite, so they are never hidden.
 */
final class JUnitReport {
  private JUnitReport() {}

  static String xml(TestReport report) {
    Map<String, List<CaseResult>> byFile = new LinkedHashMap<>();
    for (CaseResult c : report.cases()) {
      byFile.computeIfAbsent(c.file(), f -> new java.util.ArrayList<>()).add(c);
    }
    long failures =
        report.cases().stream().filter(c -> !c.passed()).count() + report.problems().size();
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<testsuites name=\"dvo-gate policy test\" tests=\"")
        .append(report.cases().size() + report.problems().size())
        .append("\" failures=\"")
        .append(failures)
        .append("\">\n");
    if (!report.problems().isEmpty()) {
      x.append("  <testsuite name=\"pack\" tests=\"")
          .append(report.problems().size())
          .append("\" failures=\"")
          .append(report.problems().size())
          .append("\">\n");
      int i = 0;
      for (PolicyProblem p : report.problems()) {
        i++;
        x.append("    <testcase classname=\"pack\" name=\"problem ")
            .append(i)
            .append("\">\n      <failure message=\"")
            .append(escape(p.describe()))
            .append("\"/>\n    </testcase>\n");
      }
      x.append("  </testsuite>\n");
    }
    for (Map.Entry<String, List<CaseResult>> suite : byFile.entrySet()) {
      long failed = suite.getValue().stream().filter(c -> !c.passed()).count();
      x.append("  <testsuite name=\"")
          .append(escape(suite.getKey()))
          .append("\" tests=\"")
          .append(suite.getValue().size())
          .append("\" failures=\"")
          .append(failed)
          .append("\">\n");
      for (CaseResult c : suite.getValue()) {
        x.append("    <testcase classname=\"")
            .append(escape(suite.getKey()))
            .append("\" name=\"")
            .append(escape(c.name()))
            .append('"');
        if (c.passed()) {
          x.append("/>\n");
        } else {
          x.append(">\n      <failure message=\"")
              .append(escape(String.join("; ", c.failures())))
              .append("\">")
              .append(escape(String.join("\n", c.failures())))
              .append("</failure>\n    </testcase>\n");
        }
      }
      x.append("  </testsuite>\n");
    }
    return x.append("</testsuites>\n").toString();
  }

  /** XML text and attribute values; characters XML 1.0 cannot carry become U+FFFD. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\n' -> b.append("&#10;");
                case '\t' -> b.append("&#9;");
                default -> {
                  boolean ok =
                      c == '\r'
                          || (c >= 0x20 && c <= 0xD7FF)
                          || (c >= 0xE000 && c <= 0xFFFD)
                          || c >= 0x10000;
                  b.appendCodePoint(ok ? c : 0xFFFD);
                }
              }
            });
    return b.toString();
  }
}
