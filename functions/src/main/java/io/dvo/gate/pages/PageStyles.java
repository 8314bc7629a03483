package io.dvo.gate.pages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The pages' only stylesheet (review, overview, docs), inline so the page needs no other request,
 * and allowed by the CSP through its SHA-256 hash (no 'unsafe-inline'). Colours meet WCAG AA
 * contrast on white; focus is always visible; touch targets are at least 44 px.
 */
public final class PageStyles {
  public static final String CSS =
      """
      *{box-sizing:border-box}
      html{font-size:100%;-webkit-text-size-adjust:100%}
      body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;\
      line-height:1.5;color:#1b1b1b;background:#f4f5f7}
      a{color:#0b55a5}
      a:focus,button:focus,textarea:focus,summary:focus{outline:3px solid #c25100;outline-offset:2px}
      .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
      .skip:focus{left:.5rem}
      header{background:#1f2d3d;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;\
      justify-content:space-between;gap:.25rem 1rem}
      header p{margin:0}
      .brand{font-weight:700}
      main{max-width:50rem;margin:0 auto;padding:1rem}
      section,.panel{background:#fff;border:1px solid #d0d5dc;border-radius:8px;padding:1rem;\
      margin:0 0 1rem}
      h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
      h2{font-size:1.15rem;margin:0 0 .5rem}
      .status{display:inline-block;font-weight:700;border-radius:4px;padding:.1rem .5rem;\
      border:2px solid currentColor}
      .s-pending{color:#8a4b00}.s-approved{color:#106b21}.s-rejected{color:#a4161a}
      .s-expired{color:#5b5b5b}.s-cancelled{color:#5b5b5b}
      dl.facts{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.25rem 1rem;\
      margin:0}
      dl.facts dt{font-weight:700}
      dl.facts dd{margin:0;overflow-wrap:anywhere}
      @media (max-width:30rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}}
      ul{padding-left:1.25rem;margin:.25rem 0}
      li{margin:.2rem 0;overflow-wrap:anywhere}
      code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.92em;\
      background:#eef0f3;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}
      .scroll{overflow-x:auto}
      table{border-collapse:collapse;width:100%;font-size:.95rem}
      th,td{text-align:left;border-bottom:1px solid #d0d5dc;padding:.35rem .5rem;vertical-align:top}
      th{background:#eef0f3}
      .tier-intrusive{color:#a4161a;font-weight:700}.tier-active{color:#8a4b00;font-weight:700}
      .tier-passive{color:#106b21}
      .notice{border-left:6px solid #106b21}
      .notice.error{border-left-color:#a4161a}
      .why{border-left:6px solid #5b5b5b}
      form{margin:0 0 1rem}
      label{display:block;font-weight:700;margin:.25rem 0}
      .hint{color:#4a4a4a;font-size:.95rem;margin:.1rem 0 .4rem}
      textarea{width:100%;min-height:5rem;font:inherit;padding:.5rem;border:2px solid #6b7280;\
      border-radius:6px}
      textarea[aria-invalid=true]{border-color:#a4161a}
      .field-error{color:#a4161a;font-weight:700;margin:.25rem 0}
      button{font:inherit;font-weight:700;min-height:44px;padding:.5rem 1.25rem;border-radius:6px;\
      border:2px solid transparent;cursor:pointer;margin-top:.5rem}
      .approve{background:#106b21;color:#fff}
      .reject{background:#fff;color:#a4161a;border-color:#a4161a}
      details{margin:.25rem 0;border:1px solid #d0d5dc;border-radius:6px;padding:.25rem .5rem}
      summary{cursor:pointer;padding:.25rem 0}
      .matched{color:#106b21;font-weight:700}.unmatched{color:#4a4a4a}
      .muted{color:#4a4a4a}
      .approving{font-weight:700;border-left:6px solid #0b55a5;padding-left:.75rem}
      .in-scope{color:#106b21}.out-of-scope{color:#a4161a;font-weight:700}
      header nav a{color:#fff;margin-right:1rem}
      header a.signout{color:#fff;margin-left:.5rem}
      input,select{font:inherit;padding:.4rem .5rem;border:2px solid #6b7280;border-radius:6px;\
      min-height:44px;max-width:100%;background:#fff}
      input:focus,select:focus{outline:3px solid #c25100;outline-offset:2px}
      .filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.5rem 0 0}
      .filter label{margin:0}
      .secondary{background:#1f2d3d;color:#fff}
      ul.items{list-style:none;padding:0}
      ul.items li{border-top:1px solid #d0d5dc;padding:.5rem 0}
      ul.items li:first-child{border-top:0}
      .context{overflow-wrap:anywhere}
      .pager{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
      .pager a{display:inline-block;min-height:44px;padding:.6rem 0}
      figure.chart{margin:.75rem 0}
      figure.chart svg{width:100%;height:auto;display:block;background:#fff}
      figcaption{color:#4a4a4a;font-size:.95rem}
      main.docs{max-width:60rem}
      .op .m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:ui-monospace,monospace}
      .m.get{color:#106b21}.m.post{color:#0b55a5}.m.put{color:#8a4b00}.m.delete{color:#a4161a}
      pre{background:#eef0f3;padding:.6rem;overflow:auto;border-radius:4px;font-size:.9rem}
      main.narrow{max-width:34rem}
      .caution{border-left:6px solid #8a4b00}
      input.wide{width:100%}
      footer{max-width:50rem;margin:0 auto;padding:0 1rem 2rem;color:#4a4a4a;font-size:.9rem}
      """;

  /** The CSP source expression allowing exactly {@link #CSS}. */
  public static final String CSP_HASH = "'sha256-" + sha256(CSS) + "'";

  private PageStyles() {}

  private static String sha256(String text) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }
}
