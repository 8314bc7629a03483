package io.dvo.gate.view;

/**
 * A short page: a result, a refusal or an error, with an optional link onwards.
 *
 * @param error whether it reports a problem (announced as an alert)
 * @param link where "Back to the request" (or {@code linkText}) leads, or null for no link
 * @param viewer "Signed in as", or null when nobody is
 * @param linkText the link's words, or null for "Back to the request"
 */
public record MessageView(
    String title, String text, boolean error, String link, String viewer, String linkText) {
  public String linkWords() {
    return linkText == null ? "Back to the request" : linkText;
  }
}
