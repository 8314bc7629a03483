package io.dvo.gate.jenkins;

import hudson.model.User;
import hudson.tasks.Mailer;

/**
 * A user's e-mail address from the Mailer plugin, an optional dependency: this class is only loaded
 * when the plugin is active ({@link BuildCauses} checks).
 */
final class MailerAddresses {
  private MailerAddresses() {}

  /** The configured address, or the one the fast resolvers infer; null when unknown. */
  static String of(User user) {
    Mailer.UserProperty property = user.getProperty(Mailer.UserProperty.class);
    return property == null ? null : property.getConfiguredAddress();
  }
}
