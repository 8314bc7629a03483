package io.dvo.gate.policy;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A condition's field, resolved once at load so evaluation never splits strings. Built-ins come
 * from the context's own components; caller attributes exist only under {@code config.*}, so they
 * can never shadow a built-in.
 */
abstract sealed class FieldRef {
  static final List<String> BUILT_INS =
      List.of(
          "environment",
          "agent_id",
          "user.id",
          "user.email",
          "user.roles",
          "initiator.id",
          "initiator.email",
          "initiator.display_name",
          "deployment_hour",
          "is_weekend",
          "timestamp");
  static final List<String> PLAN_KEYS =
      List.of("engagement_id", "max_risk_tier", "estimate", "step_count");

  final String path;
  final FieldType type;

  private FieldRef(String path, FieldType type) {
    this.path = path;
    this.type = type;
  }

  /** The field's value, or null when absent (a JSON null counts as absent). */
  abstract Object resolve(EvaluationContext context);

  /**
   * Why this field only ever holds lower case, or null when it may hold any case. A condition on
   * such a field with an upper-case operand could never match (or, negated, always would).
   */
  String lowerCaseReason() {
    return null;
  }

  /** Parses a field path; empty when the path names nothing the context can hold. */
  static Optional<FieldRef> parse(String path) {
    switch (path) {
      case "environment":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.ENVIRONMENT));
      case "agent_id":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.AGENT_ID));
      case "user.id":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.USER_ID));
      case "user.email":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.USER_EMAIL));
      case "user.roles":
        return Optional.of(new BuiltIn(path, FieldType.STRING_LIST, BuiltIn.Which.USER_ROLES));
      case "initiator.id":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.INITIATOR_ID));
      case "initiator.email":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.INITIATOR_EMAIL));
      case "initiator.display_name":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.INITIATOR_NAME));
      case "deployment_hour":
        return Optional.of(new BuiltIn(path, FieldType.NUMBER, BuiltIn.Which.DEPLOYMENT_HOUR));
      case "is_weekend":
        return Optional.of(new BuiltIn(path, FieldType.BOOLEAN, BuiltIn.Which.IS_WEEKEND));
      case "timestamp":
        return Optional.of(new BuiltIn(path, FieldType.STRING, BuiltIn.Which.TIMESTAMP));
      default:
        break;
    }
    if (path.startsWith("config.")) {
      String[] segments = path.substring("config.".length()).split("\\.", -1);
      for (String segment : segments) {
        if (segment.isEmpty()) {
          return Optional.empty();
        }
      }
      return Optional.of(new ConfigPath(path, segments));
    }
    if (path.startsWith(EvidencePath.PREFIX)) {
      String environment = path.substring(EvidencePath.PREFIX.length());
      return environment.isEmpty() || environment.contains(".")
          ? Optional.empty()
          : Optional.of(new EvidencePath(path, environment));
    }
    if (path.startsWith("plan.")) {
      String key = path.substring("plan.".length());
      if (PLAN_KEYS.contains(key)) {
        FieldType type =
            key.equals("estimate") || key.equals("step_count")
                ? FieldType.NUMBER
                : FieldType.STRING;
        return Optional.of(new PlanKey(path, type, key));
      }
    }
    return Optional.empty();
  }

  static final class BuiltIn extends FieldRef {
    enum Which {
      ENVIRONMENT,
      AGENT_ID,
      USER_ID,
      USER_EMAIL,
      USER_ROLES,
      INITIATOR_ID,
      INITIATOR_EMAIL,
      INITIATOR_NAME,
      DEPLOYMENT_HOUR,
      IS_WEEKEND,
      TIMESTAMP
    }

    private final Which which;

    BuiltIn(String path, FieldType type, Which which) {
      super(path, type);
      this.which = which;
    }

    @Override
    String lowerCaseReason() {
      return switch (which) {
        case ENVIRONMENT -> "gate requests name environments in lower case";
        case AGENT_ID -> "agent ids are compared in lower case";
        default -> null;
      };
    }

    @Override
    Object resolve(EvaluationContext c) {
      return switch (which) {
        case ENVIRONMENT -> c.environment();
        case AGENT_ID -> c.agentId();
        case USER_ID -> c.user().id();
        case USER_EMAIL -> c.user().email();
        case USER_ROLES -> c.user().roles();
          // Absent (null) when the pipeline asserted no initiator, or not this part of it.
        case INITIATOR_ID -> c.initiator() == null ? null : c.initiator().id();
        case INITIATOR_EMAIL -> c.initiator() == null ? null : c.initiator().email();
        case INITIATOR_NAME -> c.initiator() == null ? null : c.initiator().displayName();
        case DEPLOYMENT_HOUR -> c.deploymentHour(); // boxed from the Integer cache: no allocation
        case IS_WEEKEND -> c.isWeekend();
        case TIMESTAMP ->
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(c.timestamp().atZone(c.zone()));
      };
    }
  }

  /**
   * {@code evidence.succeeded_in.<environment>}: true when the gate's own run records show a recent
   * success of this agent with the request's artifact version there; never absent (false).
   */
  static final class EvidencePath extends FieldRef {
    static final String PREFIX = "evidence.succeeded_in.";
    private final String environment;

    EvidencePath(String path, String environment) {
      super(path, FieldType.BOOLEAN);
      this.environment = environment;
    }

    @Override
    Object resolve(EvaluationContext c) {
      return c.succeededIn().contains(environment);
    }
  }

  static final class ConfigPath extends FieldRef {
    private final String[] segments;

    ConfigPath(String path, String[] segments) {
      super(path, FieldType.ANY);
      this.segments = segments;
    }

    @Override
    Object resolve(EvaluationContext c) {
      Object current = c.config();
      for (String segment : segments) {
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        current = map.get(segment);
      }
      return current;
    }
  }

  static final class PlanKey extends FieldRef {
    private final String key;

    PlanKey(String path, FieldType type, String key) {
      super(path, type);
      this.key = key;
    }

    @Override
    Object resolve(EvaluationContext c) {
      return c.plan().get(key);
    }
  }
}
