package io.dvo.gate.jenkins;

import hudson.PluginWrapper;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import io.dvo.gate.pipeline.BuildCause;
import io.dvo.gate.pipeline.Initiators;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * A build's causes without Jenkins types, for {@link Initiators}: a user cause becomes a person
 * (with the user's display name and, when the Mailer plugin is installed, e-mail address), an
 * upstream cause carries its build's causes, anything else (timer, SCM, branch indexing, the replay
 * marker) names nobody.
 */
final class BuildCauses {
  /** Jenkins itself keeps 10 levels of upstream causes. */
  private static final int MAX_DEPTH = 16;

  private BuildCauses() {}

  static List<BuildCause> of(Run<?, ?> run) {
    return convert(run.getCauses(), 0);
  }

  private static List<BuildCause> convert(List<Cause> causes, int depth) {
    List<BuildCause> out = new ArrayList<>();
    for (Cause cause : causes) {
      if (cause instanceof Cause.UserIdCause user) {
        out.add(person(user.getUserId()));
      } else if (cause instanceof Cause.UpstreamCause upstream) {
        out.add(
            BuildCause.upstream(
                depth < MAX_DEPTH ? convert(upstream.getUpstreamCauses(), depth + 1) : List.of()));
      } else {
        out.add(BuildCause.other());
      }
    }
    return out;
  }

  private static BuildCause person(String id) {
    if (id == null) {
      return BuildCause.user(null, null, null); // anonymous: nobody
    }
    User user = User.getById(id, false);
    if (user == null) {
      return BuildCause.user(id, null, null);
    }
    return BuildCause.user(id, email(user), user.getFullName());
  }

  private static String email(User user) {
    PluginWrapper mailer = Jenkins.get().getPluginManager().getPlugin("mailer");
    return mailer != null && mailer.isActive() ? MailerAddresses.of(user) : null;
  }
}
