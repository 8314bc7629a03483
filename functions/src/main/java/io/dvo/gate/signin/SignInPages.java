package io.dvo.gate.signin;

import io.dvo.gate.http.HttpResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sign-in pages: server-rendered, no script, one inline stylesheet allowed by its hash, the
 * same headers as the review page (no framing, no caching, no referrer). Every value shown goes
 * through {@link #esc}.
 */
final class SignInPages {
  static final String CSS =
      """
      *{box-sizing:border-box}
      body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;\
      line-height:1.5;color:#1b1b1b;background:#f4f5f7}
      a{color:#0b55a5}
      a:focus,button:focus,input:focus{outline:3px solid #c25100;outline-offset:2px}
      .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
      .skip:focus{left:.5rem}
      header{background:#1f2d3d;color:#fff;padding:.75rem 1rem}
      header p{margin:0;font-weight:700}
      main{max-width:34rem;margin:0 auto;padding:1rem}
      .panel{background:#fff;border:1px solid #d0d5dc;border-radius:8px;padding:1rem;margin:0 0 1rem}
      .error{border-left:6px solid #a4161a}
      .warning{border-left:6px solid #8a4b00}
      h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
      label{display:block;font-weight:700;margin:.75rem 0 .25rem}
      .hint{color:#4a4a4a;font-size:.95rem;margin:.1rem 0 .3rem}
      input{width:100%;font:inherit;padding:.5rem;border:2px solid #6b7280;border-radius:6px;\
      min-height:44px}
      input[aria-invalid=true]{border-color:#a4161a}
      .field-error{color:#a4161a;font-weight:700;margin:.25rem 0}
      button{font:inherit;font-weight:700;min-height:44px;padding:.5rem 1.25rem;border-radius:6px;\
      border:2px solid transparent;cursor:pointer;margin-top:1rem;background:#0b55a5;color:#fff}
      """;

  static final String CSP_HASH = "'sha256-" + sha256(CSS) + "'";

  /** The form fields of the development sign-in, as typed (shown again with an error). */
  record DevForm(String user, String email, String roles, String tenants, String returnTo) {}

  private SignInPages() {}

  /** A page with a heading and one paragraph, and optionally a link. */
  static HttpResponse message(
      int status, String title, String text, boolean error, String linkText, String linkHref) {
    StringBuilder html = open(title);
    html.append("<div class=\"panel")
        .append(error ? " error\" role=\"alert\"" : "\" role=\"status\"")
        .append(">\n<h1>")
        .append(esc(title))
        .append("</h1>\n<p>")
        .append(esc(text))
        .append("</p>\n");
    if (linkText != null) {
      html.append("<p><a href=\"")
          .append(esc(linkHref))
          .append("\">")
          .append(esc(linkText))
          .append("</a></p>\n");
    }
    html.append("</div>\n");
    return page(status, html, List.of());
  }

  /** The development sign-in form; {@code errors} maps a field name to what is wrong with it. */
  static HttpResponse devForm(int status, DevForm form, Map<String, String> errors) {
    StringBuilder html = open("Development sign-in");
    html.append("<div class=\"panel warning\" role=\"note\">\n<h1>Development sign-in</h1>\n")
        .append(
            "<p>This gate runs in development mode: anyone can sign in as anyone here. Never use"
                + " it on a shared or reachable machine.</p>\n</div>\n");
    if (!errors.isEmpty()) {
      html.append("<div class=\"panel error\" role=\"alert\"><p>Nothing was signed in: ")
          .append(esc(String.join(" ", errors.values())))
          .append("</p></div>\n");
    }
    html.append("<form class=\"panel\" method=\"post\" action=\"/auth/dev-login\">\n")
        .append("<input type=\"hidden\" name=\"return_to\" value=\"")
        .append(esc(form.returnTo()))
        .append("\">\n");
    field(html, "user", "User id", "text", form.user(), true, "For example anna.", errors);
    field(html, "email", "E-mail", "email", form.email(), false, "Optional.", errors);
    field(
        html,
        "roles",
        "Roles",
        "text",
        form.roles(),
        false,
        "Comma list, as the identity provider would issue them (DVO_ROLE_MAP applies), e.g."
            + " release_manager, security, tenant_admin, admin.",
        errors);
    field(
        html,
        "tenants",
        "Tenants",
        "text",
        form.tenants(),
        false,
        "Comma list of tenants you may act for, e.g. demo (DVO_TENANT_MAP adds more).",
        errors);
    html.append("<button type=\"submit\">Sign in</button>\n</form>\n");
    return page(status, html, List.of());
  }

  /** The sign-out confirmation: a POST form, so a link or an image cannot sign anyone out. */
  static HttpResponse logoutForm(String who, String token, URI providerLogout) {
    StringBuilder html = open("Sign out");
    html.append(
            "<form class=\"panel\" method=\"post\" action=\"/auth/logout\">\n<h1>Sign out</h1>\n")
        .append("<p>You are signed in as <strong>")
        .append(esc(who))
        .append("</strong>.")
        .append(
            providerLogout == null
                ? ""
                : " Signing out here also ends your session at the identity provider.")
        .append("</p>\n<input type=\"hidden\" name=\"csrf\" value=\"")
        .append(esc(token))
        .append("\">\n<button type=\"submit\">Sign out</button>\n</form>\n");
    // The provider's logout page is reached by a redirect from this form's POST: form-action must
    // allow its origin, or the browser stops the redirect.
    List<String> formTargets =
        providerLogout == null
            ? List.of()
            : List.of(providerLogout.getScheme() + "://" + providerLogout.getRawAuthority());
    return page(200, html, formTargets);
  }

  static String query(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The headers every sign-in page carries. */
  static Map<String, String> headers(List<String> extraFormTargets) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", HttpResponse.HTML);
    headers.put(
        "Content-Security-Policy",
        "default-src 'none'; style-src "
            + CSP_HASH
            + "; form-action 'self'"
            + extraFormTargets.stream().map(t -> " " + t).reduce("", String::concat)
            + "; frame-ancestors 'none'; base-uri 'none'");
    headers.put("X-Frame-Options", "DENY");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    headers.put("Referrer-Policy", "no-referrer");
    return headers;
  }

  /** A redirect with the page headers (and no body). */
  static HttpResponse redirect(int status, String location) {
    return new HttpResponse(status, headers(List.of()), new byte[0])
        .withHeader("Location", location);
  }

  private static void field(
      StringBuilder html,
      String name,
      String label,
      String type,
      String value,
      boolean required,
      String hint,
      Map<String, String> errors) {
    String error = errors.get(name);
    html.append("<label for=\"")
        .append(name)
        .append("\">")
        .append(esc(label))
        .append("</label>\n<p class=\"hint\" id=\"")
        .append(name)
        .append("-hint\">")
        .append(esc(hint))
        .append("</p>\n");
    if (error != null) {
      html.append("<p class=\"field-error\" id=\"")
          .append(name)
          .append("-error\">")
          .append(esc(error))
          .append("</p>\n");
    }
    html.append("<input id=\"")
        .append(name)
        .append("\" name=\"")
        .append(name)
        .append("\" type=\"")
        .append(type)
        .append("\" value=\"")
        .append(esc(value))
        .append("\" maxlength=\"256\" autocomplete=\"off\"")
        .append(required ? " required" : "")
        .append(" aria-describedby=\"")
        .append(name)
        .append("-hint")
        .append(error != null ? " " + name + "-error\" aria-invalid=\"true\"" : "\"")
        .append(">\n");
  }

  private static StringBuilder open(String title) {
    StringBuilder html = new StringBuilder(4096);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<title>")
        .append(esc(title))
        .append(" - DVO Policy Gate</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
        .append("<header><p>DVO Policy Gate</p></header>\n<main id=\"main\">\n");
    return html;
  }

  private static HttpResponse page(int status, StringBuilder html, List<String> formTargets) {
    html.append("</main>\n</body>\n</html>\n");
    return new HttpResponse(
        status, headers(formTargets), html.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String esc(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

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
