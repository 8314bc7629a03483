package io.dvo.gate.cli.client;

import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * What a CI system says about the job a command runs in, from the variables it sets: which CI, a
 * run identifier for the default idempotency key, who started the run, and a link back to it.
 *
 * <ul>
 *   <li>GitHub Actions ({@code GITHUB_ACTIONS=true}): {@code GITHUB_RUN_ID}, {@code
 *       GITHUB_RUN_ATTEMPT}, {@code GITHUB_JOB}; initiator {@code GITHUB_TRIGGERING_ACTOR}, else
 *       {@code GITHUB_ACTOR}.
 *   <li>Azure DevOps ({@code TF_BUILD=True}): {@code BUILD_BUILDID}, {@code SYSTEM_JOBID}, {@code
 *       SYSTEM_JOBATTEMPT}; initiator {@code BUILD_REQUESTEDFOREMAIL} ({@code BUILD_REQUESTEDFOR}
 *       as the name).
 *   <li>GitLab CI ({@code GITLAB_CI=true}): {@code CI_JOB_ID} (new for every retry); initiator
 *       {@code GITLAB_USER_LOGIN} with {@code GITLAB_USER_EMAIL}, {@code GITLAB_USER_NAME}.
 * </ul>
 *
 * <p>A re-run attempt gets a new key (a new question, charged again); the same attempt asking twice
 * gets the first answer. The key ends with {@code #agent@environment}, so one job may gate several
 * deployments.
 */
public record CiEnvironment(
    String kind, String runKey, Initiator initiator, String runUrl, String job, String build) {
  public static final int MAX_KEY_LENGTH = 200;

  public static CiEnvironment of(Map<String, String> env) {
    if ("true".equalsIgnoreCase(value(env, "GITHUB_ACTIONS"))) {
      return github(env);
    }
    if ("true".equalsIgnoreCase(value(env, "TF_BUILD"))) {
      return azureDevOps(env);
    }
    if ("true".equalsIgnoreCase(value(env, "GITLAB_CI"))) {
      return gitlab(env);
    }
    return new CiEnvironment("cli", null, null, null, null, null);
  }

  private static CiEnvironment github(Map<String, String> env) {
    String runId = value(env, "GITHUB_RUN_ID");
    String attempt = value(env, "GITHUB_RUN_ATTEMPT");
    String job = value(env, "GITHUB_JOB");
    String repo = value(env, "GITHUB_REPOSITORY");
    String key =
        runId == null
            ? null
            : "github:"
                + (repo == null ? "" : repo + "/")
                + runId
                + "/"
                + (attempt == null ? "1" : attempt)
                + (job == null ? "" : "/" + job);
    String actor = firstValue(env, "GITHUB_TRIGGERING_ACTOR", "GITHUB_ACTOR");
    String server = firstValue(env, "GITHUB_SERVER_URL");
    String url =
        server == null || repo == null || runId == null
            ? null
            : server
                + "/"
                + repo
                + "/actions/runs/"
                + runId
                + (attempt == null ? "" : "/attempts/" + attempt);
    return new CiEnvironment(
        "github-actions",
        key,
        actor == null ? null : new Initiator(actor, null, null),
        url,
        firstValue(env, "GITHUB_WORKFLOW"),
        runId);
  }

  private static CiEnvironment azureDevOps(Map<String, String> env) {
    String build = value(env, "BUILD_BUILDID");
    String jobId = value(env, "SYSTEM_JOBID");
    String attempt = value(env, "SYSTEM_JOBATTEMPT");
    String collection = value(env, "SYSTEM_COLLECTIONURI");
    String project = value(env, "SYSTEM_TEAMPROJECT");
    String key =
        build == null
            ? null
            : "azure-devops:"
                + (collection == null ? "" : collection)
                + (project == null ? "" : project + "/")
                + build
                + (jobId == null ? "" : "/" + jobId)
                + "/"
                + (attempt == null ? "1" : attempt);
    String email = value(env, "BUILD_REQUESTEDFOREMAIL");
    String name = value(env, "BUILD_REQUESTEDFOR");
    String url =
        collection == null || project == null || build == null
            ? null
            : (collection.endsWith("/") ? collection : collection + "/")
                + project
                + "/_build/results?buildId="
                + build;
    return new CiEnvironment(
        "azure-devops",
        key,
        email == null ? null : new Initiator(email, email, name),
        url,
        value(env, "BUILD_DEFINITIONNAME"),
        build);
  }

  private static CiEnvironment gitlab(Map<String, String> env) {
    String job = value(env, "CI_JOB_ID");
    String host = value(env, "CI_SERVER_HOST");
    String key = job == null ? null : "gitlab:" + (host == null ? "" : host + "/") + job;
    String email = value(env, "GITLAB_USER_EMAIL");
    String login = value(env, "GITLAB_USER_LOGIN");
    String id = login != null ? login : email;
    return new CiEnvironment(
        "gitlab",
        key,
        id == null ? null : new Initiator(id, email, value(env, "GITLAB_USER_NAME")),
        value(env, "CI_JOB_URL"),
        value(env, "CI_JOB_NAME"),
        job);
  }

  /**
   * The default idempotency key for one gate call of this job: {@code <run key>#<agent>@<env>}, or
   * {@code <kind>:sha256:<hex>} of it when longer than {@value #MAX_KEY_LENGTH}; empty outside a
   * known CI.
   */
  public Optional<String> idempotencyKey(String agent, String environment) {
    if (runKey == null) {
      return Optional.empty();
    }
    String key = runKey + "#" + agent + "@" + environment;
    return Optional.of(key.length() <= MAX_KEY_LENGTH ? key : kind + ":sha256:" + sha256(key));
  }

  public Source source(String urlOverride) {
    String url = urlOverride != null ? urlOverride : runUrl;
    return new Source(kind, url, job, build);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String firstValue(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = value(env, n);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
