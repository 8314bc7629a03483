package io.dvo.gate.signin;

import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.pages.PageStyles;
import io.dvo.gate.pages.Pages;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sign-in pages: rendered from the templates under {@code src/main/jte/signin} with the other
 * pages' layout and stylesheet, no script, the same headers as the review page (no framing, no
 * caching, no referrer).
 */
final class SignInPages {
  /** The form fields of the development sign-in, as typed (shown again with an error). */
  record DevForm(String user, String email, String roles, String tenants, String returnTo) {}

  private SignInPages() {}

  /** A page with a heading and one paragraph, and optionally a link. */
  static HttpResponse message(
      int status, String title, String text, boolean error, String linkText, String linkHref) {
    return page(
        status,
        "signin/message.jte",
        new SignInViews.Message(title, text, error, linkText, linkHref),
        List.of());
  }

  /** The development sign-in form; {@code errors} maps a field name to what is wrong with it. */
  static HttpResponse devForm(int status, DevForm form, Map<String, String> errors) {
    List<SignInViews.Field> fields = new ArrayList<>();
    fields.add(field("user", "User id", "text", form.user(), true, "For example anna.", errors));
    fields.add(field("email", "E-mail", "email", form.email(), false, "Optional.", errors));
    fields.add(
        field(
            "roles",
            "Roles",
            "text",
            form.roles(),
            false,
            "Comma list, as the identity provider would issue them (DVO_ROLE_MAP applies), e.g."
                + " release_manager, security, tenant_admin, admin.",
            errors));
    fields.add(
        field(
            "tenants",
            "Tenants",
            "text",
            form.tenants(),
            false,
            "Comma list of tenants you may act for, e.g. demo (DVO_TENANT_MAP adds more).",
            errors));
    return page(
        status,
        "signin/dev-form.jte",
        new SignInViews.DevForm(form.returnTo(), fields, List.copyOf(errors.values())),
        List.of());
  }

  /** The sign-out confirmation: a POST form, so a link or an image cannot sign anyone out. */
  static HttpResponse logoutForm(String who, String token, URI providerLogout) {
    // The provider's logout page is reached by a redirect from this form's POST: form-action must
    // allow its origin, or the browser stops the redirect.
    List<String> formTargets =
        providerLogout == null
            ? List.of()
            : List.of(providerLogout.getScheme() + "://" + providerLogout.getRawAuthority());
    return page(
        200,
        "signin/logout.jte",
        new SignInViews.Logout(who, token, providerLogout != null),
        formTargets);
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
            + PageStyles.CSP_HASH
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

  private static SignInViews.Field field(
      String name,
      String label,
      String type,
      String value,
      boolean required,
      String hint,
      Map<String, String> errors) {
    return new SignInViews.Field(
        name, label, type, value == null ? "" : value, required, hint, errors.get(name));
  }

  private static HttpResponse page(
      int status, String template, Object model, List<String> formTargets) {
    return new HttpResponse(
        status,
        headers(formTargets),
        Pages.render(template, model).getBytes(StandardCharsets.UTF_8));
  }
}
