package io.dvo.gate.signin;

import java.util.List;

/** The view models of the sign-in pages (templates under {@code src/main/jte/signin}). */
public final class SignInViews {
  private SignInViews() {}

  /**
   * A page with a heading, one paragraph and optionally a link onwards.
   *
   * @param error whether it reports a problem (announced as an alert)
   * @param linkText the link's words, or null for no link
   */
  public record Message(
      String title, String text, boolean error, String linkText, String linkHref) {}

  /**
   * One input of the development sign-in form.
   *
   * @param error what is wrong with the typed value, or null
   */
  public record Field(
      String name,
      String label,
      String type,
      String value,
      boolean required,
      String hint,
      String error) {
    public String describedBy() {
      return error == null ? name + "-hint" : name + "-hint " + name + "-error";
    }
  }

  /**
   * The development sign-in form.
   *
   * @param problems what kept the last attempt from signing in, or empty
   */
  public record DevForm(String returnTo, List<Field> fields, List<String> problems) {
    public String problemText() {
      return String.join(" ", problems);
    }
  }

  /**
   * The sign-out confirmation.
   *
   * @param endsProviderSession whether signing out also ends the session at the identity provider
   */
  public record Logout(String who, String token, boolean endsProviderSession) {}
}
