package io.dvo.gate.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.client.GateClientException;
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
   * A client for the configured gate. Reads the secret from the credentials store; may do I/O, so
   * never call it on the CPS VM thread.
   *
   * @throws AbortException naming what is missing or wrong in the configuration
   */
  GateClient newClient() throws AbortException {
    return new GateClient(
        clientConfig(
            gateUrl,
            credentialsId,
            parseHeader(credentialHeader),
            connectTimeoutSeconds,
            readTimeoutSeconds));
  }

  static GateClientConfig clientConfig(
      String url,
      String credentialsId,
      CredentialHeader header,
      int connectSeconds,
      int readSeconds)
      throws AbortException {
    String base = Util.fixEmptyAndTrim(url);
    if (base == null) {
      throw new AbortException(
          "The DVO Policy Gate URL is not configured (Manage Jenkins » System » DVO Policy Gate).");
    }
    CredentialHeader effectiveHeader = header == null ? CredentialHeader.API_KEY : header;
    String secret = null;
    if (effectiveHeader != CredentialHeader.NONE) {
      secret = lookupSecret(credentialsId);
    }
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

  /** The Secret text behind {@code credentialsId}, from Jenkins-level (system) credentials. */
  private static String lookupSecret(String credentialsId) throws AbortException {
    String id = Util.fixEmptyAndTrim(credentialsId);
    if (id == null) {
      throw new AbortException(
          "No credentials are configured for the DVO Policy Gate: choose a Secret text credential"
              + " (the gate API key or a bearer token) in Manage Jenkins » System, or set the"
              + " credential header to 'none' for a local gate.");
    }
    StringCredentials credentials = findCredentials(id);
    if (credentials == null) {
      throw new AbortException(
          "The DVO Policy Gate credentials '"
              + id
              + "' were not found, or are not Secret text credentials.");
    }
    return credentials.getSecret().getPlainText();
  }

  private static @CheckForNull StringCredentials findCredentials(String id) {
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
    return findCredentials(id) == null
        ? FormValidation.error("No Secret text credential with this id.")
        : FormValidation.ok();
  }

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

  /** "Test connection": calls the gate's health endpoint with the values in the form. */
  @POST
  public FormValidation doTestConnection(
      @QueryParameter String gateUrl,
      @QueryParameter String credentialsId,
      @QueryParameter String credentialHeader,
      @QueryParameter String connectTimeoutSeconds,
      @QueryParameter String readTimeoutSeconds) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    try {
      GateClientConfig config =
          clientConfig(
              gateUrl,
              credentialsId,
              parseHeader(credentialHeader),
              parseSeconds(connectTimeoutSeconds),
              parseSeconds(readTimeoutSeconds));
      String health = new GateClient(config).health();
      return FormValidation.ok("Connected to the gate. Health: " + health);
    } catch (AbortException e) {
      return FormValidation.error(e.getMessage());
    } catch (GateClientException e) {
      return FormValidation.error("The gate did not answer: " + e.getMessage());
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
