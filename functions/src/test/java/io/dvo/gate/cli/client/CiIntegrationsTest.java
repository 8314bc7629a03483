package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.approval.ApprovalRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action, the Azure DevOps step template and the GitLab job template, each run as its CI
 * runs it: its entry script under bash, with the variables that CI sets and the inputs its YAML
 * maps, against the real local server.
 */
class CiIntegrationsTest {
  private static final Path INTEGRATIONS =
      Path.of("..", "integrations").toAbsolutePath().normalize();

  @TempDir Path dir;
  private CliTestGate gate;

  @BeforeEach
  void start() throws Exception {
    gate = new CliTestGate(dir.resolve("gate"));
  }

  @AfterEach
  void stop() throws Exception {
    gate.close();
  }

  private Map<String, String> inputs(String environment, String attributes) {
    Map<String, String> env = new HashMap<>(gate.ciEnv());
    env.put("DVO_CLI", CliProcess.cliCommand());
    env.put("DVO_ENVIRONMENT", environment);
    env.put("DVO_AGENT", "payments-api");
    env.put("DVO_ESTIMATE", "12");
    env.put("DVO_ATTRIBUTES", attributes);
    env.put("DVO_TIMEOUT", "1m");
    env.put("DVO_FAIL_ON_WARNING", "false");
    env.put("DVO_WAIT", "true");
    return env;
  }

  @Test
  void theGitHubActionWritesOutputsAndAJobSummary() throws Exception {
    Path output = dir.resolve("github_output");
    Path summary = dir.resolve("step_summary.md");
    Map<String, String> env = inputs("dev", "change_ticket=CHG42\n");
    env.putAll(
        Map.of(
            "GITHUB_ACTIONS", "true",
            "GITHUB_RUN_ID", "777",
            "GITHUB_RUN_ATTEMPT", "1",
            "GITHUB_JOB", "deploy",
            "GITHUB_REPOSITORY", "acme/payments",
            "GITHUB_SERVER_URL", "https://github.com",
            "GITHUB_ACTOR", "dana",
            "GITHUB_OUTPUT", output.toString(),
            "GITHUB_STEP_SUMMARY", summary.toString()));

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("github-action/gate.sh"), dir, env);

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(Files.readString(output))
        .contains("decision=allow")
        .contains("outcome=allowed")
        .contains("exit-code=0");
    assertThat(Files.readString(summary)).contains("### DVO Policy Gate: Allowed").contains("dev");
    assertThat(gate.usage().charges()).isEqualTo(1);
  }

  @Test
  void theGitHubActionWithoutWaitingLeavesTheRequestOpenAndNamesIt() throws Exception {
    Path output = dir.resolve("github_output");
    Map<String, String> env = inputs("production", "staging_validated=true");
    env.put("DVO_WAIT", "false");
    env.putAll(
        Map.of(
            "GITHUB_ACTIONS", "true",
            "GITHUB_RUN_ID", "778",
            "GITHUB_RUN_ATTEMPT", "1",
            "GITHUB_JOB", "ask",
            "GITHUB_ACTOR", "dana",
            "GITHUB_OUTPUT", output.toString(),
            "GITHUB_STEP_SUMMARY", dir.resolve("s.md").toString()));

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("github-action/gate.sh"), dir, env);

    assertThat(p.exitCode()).as(p.all()).isEqualTo(15);
    ApprovalRecord open = gate.approvals().get(0);
    assertThat(Files.readString(output))
        .contains("decision=pending_approval")
        .contains("approval-id=" + open.id())
        .contains("review-url=")
        .contains("/review");
    assertThat(p.out()).contains("::notice");
    assertThat(open.request().initiator().id()).isEqualTo("dana");
  }

  @Test
  void theGitHubActionPassesAnEmergencyAndTheSummarySaysSo() throws Exception {
    gate.clock().set(java.time.Instant.parse("2026-11-21T11:00:00Z")); // a Saturday
    Path summary = dir.resolve("s.md");
    Map<String, String> env = inputs("production", "staging_validated=true");
    env.put("DVO_WAIT", "false");
    env.put("DVO_EMERGENCY_REASON", "card payments down");
    env.put("DVO_EMERGENCY_TICKET", "INC-4711");
    env.putAll(
        Map.of(
            "GITHUB_ACTIONS", "true",
            "GITHUB_RUN_ID", "779",
            "GITHUB_RUN_ATTEMPT", "1",
            "GITHUB_JOB", "hotfix",
            "GITHUB_ACTOR", "dana",
            "GITHUB_OUTPUT", dir.resolve("o").toString(),
            "GITHUB_STEP_SUMMARY", summary.toString()));

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("github-action/gate.sh"), dir, env);

    assertThat(p.exitCode()).as(p.all()).isEqualTo(15);
    ApprovalRecord open = gate.approvals().get(0);
    assertThat(open.breakGlassApproval()).isTrue();
    assertThat(open.request().emergency().reason()).isEqualTo("card payments down");
    assertThat(Files.readString(summary))
        .contains("| **Emergency** | INC-4711: card payments down |");
  }

  @Test
  void theOutcomeActionReportsTheJobStatusUnderTheGateStepsKey() throws Exception {
    Path output = dir.resolve("github_output");
    Map<String, String> github =
        Map.of(
            "GITHUB_ACTIONS", "true",
            "GITHUB_RUN_ID", "780",
            "GITHUB_RUN_ATTEMPT", "1",
            "GITHUB_JOB", "deploy",
            "GITHUB_ACTOR", "dana",
            "GITHUB_OUTPUT", output.toString(),
            "GITHUB_STEP_SUMMARY", dir.resolve("s.md").toString());
    Map<String, String> env = inputs("dev", "");
    env.putAll(github);
    CliProcess asked = CliProcess.bash(INTEGRATIONS.resolve("github-action/gate.sh"), dir, env);
    assertThat(asked.exitCode()).as(asked.all()).isZero();
    assertThat(gate.usage().used()).isEqualTo(12);
    Matcher key = Pattern.compile("(?m)^idempotency-key=(.+)$").matcher(Files.readString(output));
    assertThat(key.find()).as("the gate step's idempotency-key output").isTrue();

    // The job's later step, as outcome/action.yml maps its inputs; the deploy was cancelled.
    Map<String, String> report = new HashMap<>(gate.ciEnv());
    report.putAll(github);
    report.put("DVO_CLI", CliProcess.cliCommand());
    report.put("DVO_RUN_STATUS", "cancelled");
    report.put("DVO_IDEMPOTENCY_KEY", key.group(1));
    CliProcess p =
        CliProcess.bash(INTEGRATIONS.resolve("github-action/outcome/outcome.sh"), dir, report);

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out()).contains("reported run outcome cancelled").doesNotContain("::warning");
    assertThat(gate.usage().used()).isZero();
  }

  @Test
  void theActionsRunInputDeploysAndReportsTheOutcomeByItself() throws Exception {
    Map<String, String> env = inputs("dev", "");
    env.put("DVO_COMMAND", "echo deploying $DVO_AGENT; exit 4");
    env.putAll(
        Map.of(
            "GITHUB_ACTIONS", "true",
            "GITHUB_RUN_ID", "781",
            "GITHUB_RUN_ATTEMPT", "1",
            "GITHUB_JOB", "deploy",
            "GITHUB_OUTPUT", dir.resolve("o").toString(),
            "GITHUB_STEP_SUMMARY", dir.resolve("s.md").toString()));

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("github-action/gate.sh"), dir, env);

    assertThat(p.exitCode()).as(p.all()).isEqualTo(4);
    assertThat(p.out()).contains("deploying payments-api");
    assertThat(p.err()).contains("reported run outcome failed (12 of 12 credits used)");
  }

  @Test
  void aReportTheGateCannotTakeIsAWarningNeverAFailedStep() throws Exception {
    Map<String, String> report = new HashMap<>(gate.ciEnv());
    report.put("DVO_CLI", CliProcess.cliCommand());
    report.put("DVO_RUN_STATUS", "success");
    report.put("DVO_IDEMPOTENCY_KEY", "no-such-run");

    CliProcess p =
        CliProcess.bash(INTEGRATIONS.resolve("github-action/outcome/outcome.sh"), dir, report);

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out()).contains("::warning title=DVO Policy Gate::");
    assertThat(p.err()).contains("No run was started under key no-such-run");
  }

  @Test
  void theOutcomeActionMapsEveryInputItsScriptReads() throws Exception {
    String action = Files.readString(INTEGRATIONS.resolve("github-action/outcome/action.yml"));
    String script = Files.readString(INTEGRATIONS.resolve("common/dvo-gate-outcome.sh"));
    Set<String> mapped = names(Pattern.compile("\\n\\s+(DVO_[A-Z_]+):"), action);
    Set<String> read = names(Pattern.compile("\\$\\{(DVO_[A-Z_]+):-"), script);
    assertThat(read).isNotEmpty();
    assertThat(mapped).containsAll(read);
  }

  @Test
  void theActionMapsEveryInputTheScriptReads() throws Exception {
    String action = Files.readString(INTEGRATIONS.resolve("github-action/action.yml"));
    String script = Files.readString(INTEGRATIONS.resolve("common/dvo-gate-step.sh"));
    Set<String> mapped = names(Pattern.compile("\\n\\s+(DVO_[A-Z_]+):"), action);
    Set<String> read = names(Pattern.compile("\\$\\{(DVO_[A-Z_]+):-"), script);
    read.removeAll(Set.of("DVO_OUTPUTS", "DVO_SUMMARY", "DVO_PROGRESS_INTERVAL"));
    assertThat(mapped).containsAll(read);
    assertThat(action).doesNotContain("--api-key");
  }

  private static Set<String> names(Pattern p, String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void theAzureDevOpsTemplateSetsOutputVariablesAndFailsTheStepOnDeny() throws Exception {
    Map<String, String> env = inputs("production", "");
    env.putAll(
        Map.of(
            "TF_BUILD", "True",
            "BUILD_BUILDID", "4242",
            "SYSTEM_JOBID", "job-1",
            "SYSTEM_JOBATTEMPT", "1",
            "SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/",
            "SYSTEM_TEAMPROJECT", "payments",
            "BUILD_REQUESTEDFOREMAIL", "dana@acme.example",
            "BUILD_REQUESTEDFOR", "Dana Dev",
            "AGENT_TEMPDIRECTORY", dir.toString()));

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("azure-devops/gate.sh"), dir, env);

    assertThat(p.exitCode()).as(p.all()).isEqualTo(10);
    assertThat(p.out())
        .contains("##vso[task.setvariable variable=decision;isOutput=true]deny")
        .contains("##vso[task.uploadsummary]")
        .contains("##vso[task.logissue type=error]");
  }

  @Test
  void theAzureDevOpsTemplateWaitsForTheApprovalAndStartsTheRun() throws Exception {
    Map<String, String> env = inputs("production", "staging_validated=true");
    env.putAll(
        Map.of(
            "TF_BUILD", "True",
            "BUILD_BUILDID", "4243",
            "SYSTEM_JOBID", "job-1",
            "SYSTEM_JOBATTEMPT", "1",
            "BUILD_REQUESTEDFOREMAIL", "dana@acme.example",
            "AGENT_TEMPDIRECTORY", dir.toString()));
    Thread approver =
        new Thread(
            () -> {
              try {
                while (gate.approvals().isEmpty()) {
                  Thread.sleep(100);
                }
                gate.decide(gate.approvals().get(0).id(), "approve", "{\"comment\":\"ok\"}");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    approver.start();

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("azure-devops/gate.sh"), dir, env);
    approver.join(10_000);

    assertThat(p.exitCode()).as(p.all()).isZero();
    ApprovalRecord r = gate.approvals().get(0);
    assertThat(r.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(r.charged()).isTrue();
    assertThat(r.request().initiator().email()).isEqualTo("dana@acme.example");
    assertThat(r.idempotencyKey()).isEqualTo("azure-devops:4243/job-1/1#payments-api@production");
    assertThat(p.out()).contains("variable=approvalId;isOutput=true]" + r.id());
  }

  @Test
  void theGitLabTemplateWritesADotenvReport() throws Exception {
    Map<String, String> env = inputs("production", "staging_validated=true");
    env.put("DVO_WAIT", "false");
    env.putAll(
        Map.of(
            "GITLAB_CI", "true",
            "CI_JOB_ID", "31337",
            "CI_SERVER_HOST", "gitlab.example.com",
            "CI_JOB_URL", "https://gitlab.example.com/acme/payments/-/jobs/31337",
            "GITLAB_USER_LOGIN", "dana",
            "GITLAB_USER_EMAIL", "dana@acme.example"));

    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("gitlab/gate.sh"), dir, env);

    assertThat(p.exitCode()).as(p.all()).isEqualTo(15);
    ApprovalRecord r = gate.approvals().get(0);
    assertThat(Files.readString(dir.resolve("dvo-gate.env")))
        .contains("DVO_DECISION=pending_approval")
        .contains("DVO_APPROVAL_ID=" + r.id())
        .contains("DVO_OUTCOME=pending_not_waited");
    assertThat(r.idempotencyKey())
        .isEqualTo("gitlab:gitlab.example.com/31337#payments-api@production");
    assertThat(r.request().source().url()).endsWith("/-/jobs/31337");
    assertThat(r.request().initiator().id()).isEqualTo("dana");
  }

  @Test
  void onGitLabTheDeployJobsAfterScriptReportsTheJobStatusUnderTheGateJobsKey() throws Exception {
    Map<String, String> env = inputs("dev", "");
    env.putAll(
        Map.of(
            "GITLAB_CI", "true",
            "CI_JOB_ID", "4001",
            "CI_SERVER_HOST", "gitlab.example.com",
            "GITLAB_USER_LOGIN", "dana"));
    CliProcess asked = CliProcess.bash(INTEGRATIONS.resolve("gitlab/gate.sh"), dir, env);
    assertThat(asked.exitCode()).as(asked.all()).isZero();
    Matcher key =
        Pattern.compile("(?m)^DVO_RUN_KEY=(.+)$")
            .matcher(Files.readString(dir.resolve("dvo-gate.env")));
    assertThat(key.find()).as("the dotenv report's DVO_RUN_KEY").isTrue();
    assertThat(gate.usage().used()).isEqualTo(12);

    // The deploy job: another CI_JOB_ID, the key from the dotenv report, cancelled.
    Map<String, String> deploy = new HashMap<>(gate.ciEnv());
    deploy.put("DVO_CLI", CliProcess.cliCommand());
    deploy.putAll(
        Map.of(
            "GITLAB_CI", "true",
            "CI_JOB_ID", "4002",
            "CI_JOB_STATUS", "canceled",
            "DVO_RUN_KEY", key.group(1)));
    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("gitlab/outcome.sh"), dir, deploy);

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out()).contains("reported run outcome cancelled");
    assertThat(gate.usage().used()).isZero();
  }

  @Test
  void onAzureDevOpsTheOutcomeStepReportsTheAgentsJobStatus() throws Exception {
    Map<String, String> ado =
        Map.of(
            "TF_BUILD", "True",
            "BUILD_BUILDID", "4300",
            "SYSTEM_JOBID", "job-1",
            "SYSTEM_JOBATTEMPT", "1",
            "AGENT_TEMPDIRECTORY", dir.toString());
    Map<String, String> env = inputs("dev", "");
    env.putAll(ado);
    CliProcess asked = CliProcess.bash(INTEGRATIONS.resolve("azure-devops/gate.sh"), dir, env);
    assertThat(asked.exitCode()).as(asked.all()).isZero();
    Matcher key =
        Pattern.compile("variable=idempotencyKey;isOutput=true\\](.+)").matcher(asked.out());
    assertThat(key.find()).as("the idempotencyKey output variable").isTrue();

    Map<String, String> report = new HashMap<>(gate.ciEnv());
    report.putAll(ado);
    report.put("DVO_CLI", CliProcess.cliCommand());
    report.put("DVO_RUN_STATUS", "Failed"); // $(Agent.JobStatus)
    report.put("DVO_IDEMPOTENCY_KEY", key.group(1).strip());
    CliProcess p = CliProcess.bash(INTEGRATIONS.resolve("azure-devops/outcome.sh"), dir, report);

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out()).contains("reported run outcome failed (12 of 12 credits used)");
    assertThat(p.out()).doesNotContain("task.logissue");
    String template =
        Files.readString(INTEGRATIONS.resolve("azure-devops/dvo-gate-outcome-step.yml"));
    assertThat(template).contains("condition: always()").contains("$(Agent.JobStatus)");
  }
}
