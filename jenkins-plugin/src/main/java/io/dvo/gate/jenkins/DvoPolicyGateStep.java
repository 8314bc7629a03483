package io.dvo.gate.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.dvo.gate.pipeline.StepParameters;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code dvoPolicyGate(environment: 'production', ...)}: asks the DVO Policy Gate whether this run
 * may go ahead, and waits while people approve. The parameters are only data; everything the step
 * does lives in {@link DvoPolicyGateExecution} and, beyond Jenkins glue, in shared-policy.
 */
public class DvoPolicyGateStep extends Step {

  // The same defaults and limits as shared-policy's StepParameters, which checks them.
  static final int DEFAULT_TIMEOUT_MINUTES = StepParameters.DEFAULT_TIMEOUT_MINUTES;
  static final int DEFAULT_POLL_SECONDS = StepParameters.DEFAULT_POLL_SECONDS;
  static final int MAX_TIMEOUT_MINUTES = StepParameters.MAX_TIMEOUT_MINUTES;
  static final int MAX_POLL_SECONDS = StepParameters.MAX_POLL_SECONDS;

  private final String environment;
  private String service;
  private String agent;
  private String tenant;
  private String credentialsId;
  // Integer, not Long: Stapler binds an empty Snippet Generator field to null only for Integer.
  private Integer estimate;
  private Map<String, Object> attributes;
  private Map<String, Object> plan;
  private int timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;
  private boolean failOnWarning;
  private boolean unstableOnWarning;
  private int pollSeconds = DEFAULT_POLL_SECONDS;
  private Map<String, Object> emergency;
  private boolean waitForLock;

  @DataBoundConstructor
  public DvoPolicyGateStep(String environment) {
    this.environment = Util.fixEmptyAndTrim(environment);
  }

  public String getEnvironment() {
    return environment;
  }

  public @CheckForNull String getService() {
    return service;
  }

  /** The service or app being deployed; defaults to the job's full name. */
  @DataBoundSetter
  public void setService(String service) {
    this.service = Util.fixEmptyAndTrim(service);
  }

  public @CheckForNull String getAgent() {
    return agent;
  }

  /**
   * The old name of {@link #setService}, kept so existing Jenkinsfiles work; it reads like
   * Declarative's {@code agent} directive, so new ones use {@code service}.
   */
  @DataBoundSetter
  public void setAgent(String agent) {
    this.agent = Util.fixEmptyAndTrim(agent);
  }

  public @CheckForNull String getTenant() {
    return tenant;
  }

  /** Defaults to the folder's tenant, then to the tenant in the global configuration. */
  @DataBoundSetter
  public void setTenant(String tenant) {
    this.tenant = Util.fixEmptyAndTrim(tenant);
  }

  public @CheckForNull String getCredentialsId() {
    return credentialsId;
  }

  /**
   * A Secret text credential (a gate API key) looked up in the build's context: folder credentials,
   * or those the job may use. Defaults to the folder's, then the global one.
   */
  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
  }

  public @CheckForNull Integer getEstimate() {
    return estimate;
  }

  /** Credits this run will use; when unset, the gate sums the plan's step estimates. */
  @DataBoundSetter
  public void setEstimate(Integer estimate) {
    this.estimate = estimate;
  }

  public @CheckForNull Map<String, Object> getAttributes() {
    return attributes;
  }

  /** Free-form facts for policies ({@code staging_validated}, change ticket, ...). */
  @DataBoundSetter
  public void setAttributes(Map<String, Object> attributes) {
    this.attributes = attributes == null || attributes.isEmpty() ? null : attributes;
  }

  public @CheckForNull Map<String, Object> getPlan() {
    return plan;
  }

  /** The run's plan, typically {@code readJSON(file: 'plan.json')}. */
  @DataBoundSetter
  public void setPlan(Map<String, Object> plan) {
    this.plan = plan == null || plan.isEmpty() ? null : plan;
  }

  public int getTimeoutMinutes() {
    return timeoutMinutes;
  }

  /** How long to wait for approval before giving up (and cancelling the request). */
  @DataBoundSetter
  public void setTimeoutMinutes(int timeoutMinutes) {
    this.timeoutMinutes = timeoutMinutes;
  }

  public boolean isFailOnWarning() {
    return failOnWarning;
  }

  @DataBoundSetter
  public void setFailOnWarning(boolean failOnWarning) {
    this.failOnWarning = failOnWarning;
  }

  public boolean isUnstableOnWarning() {
    return unstableOnWarning;
  }

  /** On warnings, go on but mark the build unstable (Jenkins' "passed with warnings"). */
  @DataBoundSetter
  public void setUnstableOnWarning(boolean unstableOnWarning) {
    this.unstableOnWarning = unstableOnWarning;
  }

  public int getPollSeconds() {
    return pollSeconds;
  }

  /** Pause between approval reads when the gate cannot hold a long poll open. */
  @DataBoundSetter
  public void setPollSeconds(int pollSeconds) {
    this.pollSeconds = pollSeconds;
  }

  public Map<String, Object> getEmergency() {
    return emergency;
  }

  /**
   * Break-glass: {@code emergency: [reason: 'payments outage', ticket: 'INC-4711']}. Rules marked
   * overridable (the weekend and freeze blocks) then ask the break-glass approvers instead of
   * denying; see the gate's docs/break-glass.md.
   */
  @DataBoundSetter
  public void setEmergency(Map<String, Object> emergency) {
    this.emergency = emergency == null || emergency.isEmpty() ? null : emergency;
  }

  public boolean isWaitForLock() {
    return waitForLock;
  }

  /**
   * While another run of the service holds the environment's one-at-a-time lock, wait for it
   * (asking again every poll interval, until the timeout) instead of failing.
   */
  @DataBoundSetter
  public void setWaitForLock(boolean waitForLock) {
    this.waitForLock = waitForLock;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    return DvoPolicyGateExecution.prepare(this, context);
  }

  /** The step's Snippet Generator entry and pipeline function name. */
  @Extension
  @Symbol("dvoPolicyGate")
  public static final class DescriptorImpl extends StepDescriptor {

    @Override
    public String getFunctionName() {
      return "dvoPolicyGate";
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return "DVO Policy Gate: ask whether this run may go ahead";
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class, FlowNode.class);
    }

    // Form validation for the Snippet Generator. Read-only checks of the typed text: no permission
    // needed, nothing is contacted.

    public FormValidation doCheckEnvironment(@QueryParameter String value) {
      return Util.fixEmptyAndTrim(value) == null
          ? FormValidation.error("The environment is required, e.g. production.")
          : FormValidation.ok();
    }

    /**
     * The Secret text credentials the job may use, for the Snippet Generator; only for people who
     * may configure the job (or use its credentials).
     */
    @POST
    public ListBoxModel doFillCredentialsIdItems(
        @AncestorInPath Item item, @QueryParameter String credentialsId) {
      StandardListBoxModel items = new StandardListBoxModel();
      boolean allowed =
          item == null
              ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
              : item.hasPermission(Item.EXTENDED_READ)
                  || item.hasPermission(CredentialsProvider.USE_ITEM);
      if (!allowed) {
        return items.includeCurrentValue(credentialsId);
      }
      items.includeEmptyValue();
      if (item == null) {
        // Outside a job: what jobs at the top level see (the global scope, not system).
        items.includeMatchingAs(
            ACL.SYSTEM2,
            Jenkins.get(),
            StringCredentials.class,
            List.of(),
            CredentialsMatchers.withScope(CredentialsScope.GLOBAL));
      } else {
        items.includeMatchingAs(
            item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
            item,
            StringCredentials.class,
            List.of(),
            CredentialsMatchers.always());
      }
      return items.includeCurrentValue(credentialsId);
    }

    public FormValidation doCheckEstimate(@QueryParameter String value) {
      String text = Util.fixEmptyAndTrim(value);
      if (text == null) {
        return FormValidation.ok();
      }
      try {
        return Integer.parseInt(text) < 0
            ? FormValidation.error("The estimate must be zero or more credits.")
            : FormValidation.ok();
      } catch (NumberFormatException e) {
        return FormValidation.error("The estimate must be a whole number of credits.");
      }
    }

    public FormValidation doCheckTimeoutMinutes(@QueryParameter String value) {
      return checkRange(value, 1, MAX_TIMEOUT_MINUTES, "The timeout (minutes)");
    }

    public FormValidation doCheckPollSeconds(@QueryParameter String value) {
      return checkRange(value, 1, MAX_POLL_SECONDS, "The poll interval (seconds)");
    }

    static FormValidation checkRange(String value, int min, int max, String what) {
      String text = Util.fixEmptyAndTrim(value);
      if (text == null) {
        return FormValidation.error(what + " is required.");
      }
      try {
        int n = Integer.parseInt(text);
        return n < min || n > max
            ? FormValidation.error(what + " must be between " + min + " and " + max + ".")
            : FormValidation.ok();
      } catch (NumberFormatException e) {
        return FormValidation.error(what + " must be a whole number.");
      }
    }
  }
}
