package io.dvo.gate.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.pipeline.ConnectionReport;
import io.dvo.gate.pipeline.CredentialSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Where the gate is and how to authenticate to it: one section of "Manage Jenkins » System", and
 * {@code unclassified: dvoPolicyGate:} in Configuration as Code. The secret stays in the
 * credentials store; only its id is kept here.
 */
@Extension
@Symbol("dvoPolicyGate")
public final class DvoPolicyGateConfiguration extends GlobalConfiguration {

  static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
  static final int DEFAULT_READ_TIMEOUT_SECONDS = 30;
  static final int MAX_TIMEOUT_SECONDS = 300;

  private String gateUrl;
  private String defaultTenant;
  private String credentialsId;
  // Kept as the enum's name: XStream only reads classes it trusts, and plain strings always are.
  private String credentialHeader = CredentialHeader.API_KEY.name();
  private int connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
  private int readTimeoutSeconds = DEFAULT_READ_TIMEOUT_SECONDS;

  public DvoPolicyGateConfiguration() {
    load();
  }

  public static DvoPolicyGateConfiguration get() {
    return ExtensionList.lookupSingleton(DvoPolicyGateConfiguration.class);
  }

  @NonNull
  @Override
  public String getDisplayName() {
    return "DVO Policy Gate";
  }

  public @CheckForNull String getGateUrl() {
    return gateUrl;
  }

  @DataBoundSetter
  public void setGateUrl(String gateUrl) {
    this.gateUrl = Util.fixEmptyAndTrim(gateUrl);
    save();
  }

  public @CheckForNull String getDefaultTenant() {
    return defaultTenant;
  }

  @DataBoundSetter
  public void setDefaultTenant(String defaultTenant) {
    this.defaultTenant = Util.fixEmptyAndTrim(defaultTenant);
    save();
  }

  public @CheckForNull String getCredentialsId() {
    return credentialsId;
  }

  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    save();
  }

  /** {@code API_KEY}, {@code AUTHORIZATION_BEARER} or {@code NONE}. */
  public String getCredentialHeader() {
    return parseHeader(credentialHeader).name();
  }

  /**
   * @throws IllegalArgumentException for an unknown name, so a typo in Configuration as Code is
   *     reported instead of silently sending the secret in another header
   */
  @DataBoundSetter
  public void setCredentialHeader(String credentialHeader) {
    String value = Util.fixEmptyAndTrim(credentialHeader);
    if (value != null) {
      try {
        CredentialHeader.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "credentialHeader must be API_KEY, AUTHORIZATION_BEARER or NONE, got: " + value);
      }
    }
    this.credentialHeader = parseHeader(value).name();
    save();
  }

  public int getConnectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  @DataBoundSetter
  public void setConnectTimeoutSeconds(int connectTimeoutSeconds) {
    this.connectTimeoutSeconds = connectTimeoutSeconds;
    save();
  }

  public int getReadTimeoutSeconds() {
    return readTimeoutSeconds;
  }

  @DataBoundSetter
  public void setReadTimeoutSeconds(int readTimeoutSeconds) {
    this.readTimeoutSeconds = readTimeoutSeconds;
    save();
  }

  /**
   * A client for the configured gate, with the secret of {@code id} as chosen for a step: a {@link
   * CredentialSource#GLOBAL} credential is read from the controller's own (system) credentials, a
   * step's or folder's one in the build's context ({@code CredentialsProvider.findCredentialById}:
   * folder credentials and those the job may use). Either way its use is tracked on the build. May
   * touch disk (usage tracking), so never call it on the CPS VM thread.
   *
   * @throws AbortException naming what is missing or wrong in the configuration
   */
  GateClient newClient(String id, CredentialSource source, Run<?, ?> build) throws AbortException {
    return new GateClient(
        clientConfig(
            gateUrl,
            parseHeader(credentialHeader),
            connectTimeoutSeconds,
            readTimeoutSeconds,
            () -> {
              StringCredentials credentials = findForBuild(id, source, build);
              CredentialsProvider.track(build, credentials);
              return credentials.getSecret().getPlainText();
            }));
  }

  /** Where the secret comes from; only asked when the header sends one. */
  @FunctionalInterface
  interface SecretSource {
    String secret() throws AbortException;
  }

  static GateClientConfig clientConfig(
      String url, CredentialHeader header, int connectSeconds, int readSeconds, SecretSource source)
      throws AbortException {
    String base = Util.fixEmptyAndTrim(url);
    if (base == null) {
      throw new AbortException(
          "The DVO Policy Gate URL is not configured (Manage Jenkins » System » DVO Policy Gate).");
    }
    CredentialHeader effectiveHeader = header == null ? CredentialHeader.API_KEY : header;
    String secret = effectiveHeader == CredentialHeader.NONE ? null : source.secret();
    try {
      return GateClientConfig.of(toUri(base), secret, effectiveHeader)
          .withTimeouts(
              Duration.ofSeconds(clampTimeout(connectSeconds, DEFAULT_CONNECT_TIMEOUT_SECONDS)),
              Duration.ofSeconds(clampTimeout(readSeconds, DEFAULT_READ_TIMEOUT_SECONDS)));
    } catch (IllegalArgumentException e) {
      // The client's messages name the problem and never contain the secret.
      throw new AbortException("DVO Policy Gate configuration: " + e.getMessage());
    }
  }

  private static StringCredentials findForBuild(
      String credentialsId, CredentialSource source, Run<?, ?> build) throws AbortException {
    String id = requireId(credentialsId);
    StringCredentials credentials =
        source == CredentialSource.GLOBAL || source == null
            ? findCredentials(id)
            : CredentialsProvider.findCredentialById(id, StringCredentials.class, build, List.of());
    if (credentials == null) {
      throw new AbortException(
          "The DVO Policy Gate credentials '"
              + id
              + "' were not found, or are not Secret text credentials"
              + (source == CredentialSource.STEP || source == CredentialSource.FOLDER
                  ? " this job may use (a step's or folder's credential is looked up in the"
                      + " job's folders and the credentials available to jobs)."
                  : "."));
    }
    return credentials;
  }

  /** The Secret text behind {@code credentialsId}, from Jenkins-level (system) credentials. */
  private static String globalSecret(String credentialsId) throws AbortException {
    String id = requireId(credentialsId);
    StringCredentials credentials = findCredentials(id);
    if (credentials == null) {
      throw new AbortException(
          "The DVO Policy Gate credentials '"
              + id
              + "' were not found, or are not Secret text credentials.");
    }
    return credentials.getSecret().getPlainText();
  }

  private static String requireId(String credentialsId) throws AbortException {
    String id = Util.fixEmptyAndTrim(credentialsId);
    if (id == null) {
      throw new AbortException(
          "No credentials are configured for the DVO Policy Gate: choose a Secret text credential"
              + " (the gate API key or a bearer token) in Manage Jenkins » System, on the folder,"
              + " or in the step (credentialsId:), or set the credential header to 'none' for a"
              + " local gate.");
    }
    return id;
  }

  /** A root-level Secret text credential: system scope (the plugin's own) or global scope. */
  static @CheckForNull StringCredentials findCredentials(String id) {
    return CredentialsMatchers.firstOrNull(
        CredentialsProvider.lookupCredentialsInItemGroup(
            StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of()),
        CredentialsMatchers.withId(id));
  }

  private static URI toUri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the gate URL is not a valid URL: " + e.getReason());
    }
  }

  private static int clampTimeout(int seconds, int fallback) {
    return seconds <= 0 ? fallback : Math.min(seconds, MAX_TIMEOUT_SECONDS);
  }

  // ---- form: validation, list boxes and the "Test connection" button ----

  public FormValidation doCheckGateUrl(@QueryParameter String value) {
    String text = Util.fixEmptyAndTrim(value);
    if (text == null) {
      return FormValidation.warning(
          "Required: the gate's base URL, e.g. https://dvo-gate.example.com");
    }
    try {
      // The client's own rules (https except on loopback, no user info, no query) apply here too.
      GateClientConfig.of(toUri(text), null, CredentialHeader.NONE);
      return FormValidation.ok();
    } catch (IllegalArgumentException e) {
      return FormValidation.error(e.getMessage());
    }
  }

  public FormValidation doCheckDefaultTenant(@QueryParameter String value) {
    String text = Util.fixEmptyAndTrim(value);
    if (text == null) {
      return FormValidation.warning(
          "Without a default tenant every dvoPolicyGate call must pass tenant: '...'.");
    }
    return text.chars()
            .allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
        ? FormValidation.ok()
        : FormValidation.error("A tenant id uses letters, digits, '-', '_' and '.' only.");
  }

  @POST
  public FormValidation doCheckCredentialsId(
      @QueryParameter String value, @QueryParameter String credentialHeader) {
    if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
      return FormValidation.ok();
    }
    String id = Util.fixEmptyAndTrim(value);
    if (id == null) {
      return CredentialHeader.NONE.name().equals(credentialHeader)
          ? FormValidation.ok()
          : FormValidation.warning(
              "Choose the Secret text credential holding the gate API key or a bearer token.");
    }
    StringCredentials credentials = findCredentials(id);
    if (credentials == null) {
      return FormValidation.error("No Secret text credential with this id.");
    }
    if (credentials.getScope() == CredentialsScope.GLOBAL) {
      return FormValidation.warning(GLOBAL_SCOPE_WARNING);
    }
    return FormValidation.ok();
  }

  static final String GLOBAL_SCOPE_WARNING =
      "This credential has scope Global: every job can bind it with withCredentials and print it,"
          + " and then act as this Jenkins towards the gate. Give it scope System (only Jenkins"
          + " itself reads it; the plugin does), or put a team's key in its folder.";

  public FormValidation doCheckConnectTimeoutSeconds(@QueryParameter String value) {
    return DvoPolicyGateStep.DescriptorImpl.checkRange(
        value, 1, MAX_TIMEOUT_SECONDS, "The connect timeout (seconds)");
  }

  public FormValidation doCheckReadTimeoutSeconds(@QueryParameter String value) {
    return DvoPolicyGateStep.DescriptorImpl.checkRange(
        value, 1, MAX_TIMEOUT_SECONDS, "The read timeout (seconds)");
  }

  @POST
  public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
    if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
      return new StandardListBoxModel().includeCurrentValue(credentialsId);
    }
    return new StandardListBoxModel()
        .includeEmptyValue()
        .includeMatchingAs(
            ACL.SYSTEM2,
            Jenkins.get(),
            StringCredentials.class,
            List.of(),
            CredentialsMatchers.always())
        .includeCurrentValue(credentialsId);
  }

  public ListBoxModel doFillCredentialHeaderItems() {
    ListBoxModel items = new ListBoxModel();
    items.add("Gate API key (X-DVO-API-Key)", CredentialHeader.API_KEY.name());
    items.add(
        "Authorization: Bearer <secret> (token checked by App Service Authentication)",
        CredentialHeader.AUTHORIZATION_BEARER.name());
    items.add("None (local development gate only)", CredentialHeader.NONE.name());
    return items;
  }

  /**
   * "Test connection": asks the gate who it takes the credential in the form to be ({@code GET
   * /api/v1/whoami}, authenticated, unlike health) and shows what it may do for the default tenant.
   * A wrong key is an error here, not "connected".
   */
  @POST
  public FormValidation doTestConnection(
      @QueryParameter String gateUrl,
      @QueryParameter String credentialsId,
      @QueryParameter String credentialHeader,
      @QueryParameter String defaultTenant,
      @QueryParameter String connectTimeoutSeconds,
      @QueryParameter String readTimeoutSeconds) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    CredentialHeader header = parseHeader(credentialHeader);
    try {
      GateClientConfig config =
          clientConfig(
                  gateUrl,
                  header,
                  parseSeconds(connectTimeoutSeconds),
                  parseSeconds(readTimeoutSeconds),
                  () -> globalSecret(credentialsId))
              .withRetries(
                  0,
                  GateClientConfig.DEFAULT_INITIAL_BACKOFF,
                  GateClientConfig.DEFAULT_MAX_BACKOFF);
      WhoAmI me = new GateClient(config).whoami();
      ConnectionReport report = ConnectionReport.of(me, Util.fixEmptyAndTrim(defaultTenant));
      return report.ok() ? FormValidation.ok(report.text()) : FormValidation.warning(report.text());
    } catch (AbortException e) {
      return FormValidation.error(e.getMessage());
    } catch (GateClientException e) {
      String hint =
          e.code() == GateClientException.Code.UNAUTHORIZED
              ? " The gate does not accept this credential."
              : "";
      return FormValidation.error("The gate did not accept the call: " + e.getMessage() + hint);
    }
  }

  /**
   * Unknown or empty values (including {@code FUNCTIONS_KEY} saved by earlier versions: a function
   * key identifies nobody) fall back to the gate API key, the usual setup.
   */
  static CredentialHeader parseHeader(String text) {
    String value = Util.fixEmptyAndTrim(text);
    if (value == null) {
      return CredentialHeader.API_KEY;
    }
    try {
      return CredentialHeader.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return CredentialHeader.API_KEY;
    }
  }

  private static int parseSeconds(String text) {
    try {
      return Integer.parseInt(Util.fixEmptyAndTrim(text) == null ? "0" : text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
