package io.dvo.gate.config;

import io.dvo.gate.http.auth.AuthSettings;
import io.dvo.gate.notify.ReminderSweep;
import io.dvo.gate.notify.WebhookRoutes;
import io.dvo.gate.opa.OpaSettings;
import io.dvo.gate.review.ReviewRoutes;
import io.dvo.gate.run.RunSettings;
import io.dvo.gate.service.BreakGlass;
import io.dvo.gate.service.GateSettings;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.siem.SiemSettings;
import io.dvo.gate.signin.SignIn;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gate's configuration, typed and parsed once at start from the {@link Settings}: every {@code
 * DVO_*} value the gate wires itself from. A bad value is never a wrong answer later: {@link
 * #parse} checks them all and throws one {@link ConfigurationException} naming every bad setting,
 * not only the first.
 *
 * @param policyDir DVO_POLICY_DIR
 * @param timeZone DVO_TIME_ZONE, the one zone of decisions, cards and pages
 * @param decisions the zone and DVO_NO_QUOTA
 * @param runs DVO_EVIDENCE_MAX_AGE_HOURS, DVO_EXCLUSIVE_*, DVO_SUPERSEDE_PENDING_ENVIRONMENTS
 * @param auth development mode, tenant and role maps, API keys, the principal header
 * @param signIn OpenID Connect, session and proxy sign-in (DVO_OIDC_*, DVO_SESSION_*, DVO_PROXY_*)
 * @param opa DVO_OPA_*
 * @param siem DVO_SIEM_*, or null when DVO_SIEM_ADDRESS is unset
 * @param limits body size and long polls
 * @param reminderLead DVO_TEAMS_REMINDER_HOURS (zero: no reminders)
 * @param auditRetentionDays DVO_AUDIT_RETENTION_DAYS
 */
public record GateConfig(
    Path policyDir,
    ZoneId timeZone,
    GateSettings decisions,
    RunSettings runs,
    AuthSettings auth,
    SignIn signIn,
    OpaSettings opa,
    SiemSettings siem,
    Limits limits,
    Duration reminderLead,
    int auditRetentionDays) {

  /**
   * @param maxBodyBytes DVO_MAX_BODY_BYTES
   * @param maxLongPolls DVO_MAX_LONG_POLLS
   * @param maxLongPollsPerPrincipal DVO_MAX_LONG_POLLS_PER_PRINCIPAL
   */
  public record Limits(int maxBodyBytes, int maxLongPolls, int maxLongPollsPerPrincipal) {}

  /** Every bad setting found at start, each named; the message lists them all. */
  public static final class ConfigurationException extends IllegalStateException {
    private final transient List<String> problems;

    ConfigurationException(List<String> problems) {
      super(message(problems));
      this.problems = List.copyOf(problems);
    }

    /** One line per bad setting, each starting with the setting's name. */
    public List<String> problems() {
      return problems;
    }

    private static String message(List<String> problems) {
      if (problems.size() == 1) {
        return problems.get(0) + ".";
      }
      return "The gate cannot start: "
          + problems.size()
          + " settings are wrong: "
          + String.join("; ", problems)
          + ".";
    }

    /** A configuration error is the operator's to fix: the message says all, a trace nothing. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /**
   * Parses and checks every setting, including those of the stores (so that a bad store setting is
   * named with the others before any store is opened).
   *
   * @throws ConfigurationException naming every bad setting
   */
  public static GateConfig parse(Settings settings, Clock clock) {
    List<String> problems = new ArrayList<>();
    attempt(
        problems,
        () -> {
          settings.requireResolvedReferences();
          return null;
        });
    attempt(
        problems,
        () -> {
          StoreFactory.check(settings.asFunction());
          return null;
        });
    ZoneId zone = attempt(problems, settings::timeZone);
    Boolean noQuotaAllows = attempt(problems, () -> GateApp.noQuotaAllows(settings));
    BreakGlass breakGlass = attempt(problems, () -> GateApp.breakGlass(settings));
    RunSettings runs = attempt(problems, () -> GateApp.runSettings(settings));
    AuthSettings auth = attempt(problems, settings::auth);
    SignIn signIn =
        auth == null ? null : attempt(problems, () -> SignIn.fromSettings(settings, auth, clock));
    OpaSettings opa = attempt(problems, settings::opa);
    SiemSettings siem = attempt(problems, settings::siem);
    Integer body = attempt(problems, () -> settings.integer(Setting.DVO_MAX_BODY_BYTES, 1024));
    Integer polls = attempt(problems, () -> settings.integer(Setting.DVO_MAX_LONG_POLLS, 1));
    Integer perPrincipal =
        attempt(problems, () -> settings.integer(Setting.DVO_MAX_LONG_POLLS_PER_PRINCIPAL, 1));
    Duration reminderLead =
        attempt(
            problems,
            () -> ReminderSweep.reminderLead(settings.get(Setting.DVO_TEAMS_REMINDER_HOURS)));
    Integer retention =
        attempt(problems, () -> settings.integer(Setting.DVO_AUDIT_RETENTION_DAYS, 1));
    // Read where they are used, but checked here so that they are named with the others.
    attempt(
        problems,
        () ->
            WebhookRoutes.parse(
                settings.get(Setting.DVO_TEAMS_WEBHOOK_URL),
                settings.get(Setting.DVO_TEAMS_WEBHOOK_ROUTES)));
    attempt(problems, () -> ReviewRoutes.loginPath(settings.get(Setting.DVO_LOGIN_PATH)));
    if (settings.get(Setting.DVO_METRICS_PORT) != null) {
      attempt(problems, () -> metricsPort(settings));
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return new GateConfig(
        Path.of(settings.get(Setting.DVO_POLICY_DIR)),
        zone,
        new GateSettings(zone, noQuotaAllows, breakGlass),
        runs,
        auth,
        signIn,
        opa,
        siem,
        new Limits(body, polls, perPrincipal),
        reminderLead,
        retention);
  }

  /** DVO_METRICS_PORT (local server only): a TCP port, 0 for any free one. */
  public static int metricsPort(Settings settings) {
    int number = settings.integer(Setting.DVO_METRICS_PORT, 0);
    if (number > 65535) {
      throw new IllegalStateException("DVO_METRICS_PORT must be a TCP port, not " + number + ".");
    }
    return number;
  }

  /** The value, or null with the problem recorded (in the one style: no trailing full stop). */
  private static <T> T attempt(List<String> problems, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
      return null;
    } catch (IllegalStateException | IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage()).strip();
      problems.add(message.endsWith(".") ? message.substring(0, message.length() - 1) : message);
      return null;
    }
  }
}
