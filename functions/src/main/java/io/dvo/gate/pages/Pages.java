package io.dvo.gate.pages;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * Renders the gate's HTML pages from their jte templates ({@code functions/src/main/jte}). The
 * templates are compiled to Java classes at build time and loaded from this jar: nothing is
 * compiled at run time. The Html content type escapes every {@code ${...}} for the place it stands
 * in (text, attribute), so no Java code escapes anything by hand.
 */
public final class Pages {
  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader());

  private Pages() {}

  /** The template {@code name} (e.g. {@code "review/review.jte"}) over {@code model}. */
  public static String render(String name, Object model) {
    StringOutput out = new StringOutput(16 * 1024);
    ENGINE.render(name, model, out);
    return out.toString();
  }
}
