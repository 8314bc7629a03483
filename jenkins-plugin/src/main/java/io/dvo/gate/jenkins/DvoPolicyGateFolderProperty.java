package io.dvo.gate.jenkins;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.hudson.plugins.folder.AbstractFolderProperty;
import com.cloudbees.hudson.plugins.folder.AbstractFolderPropertyDescriptor;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.dvo.gate.pipeline.FolderPin;
import java.util.List;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A folder's DVO Policy Gate settings: the tenant and the gate credential every job in the folder
 * (and its sub-folders) uses, so one controller serves several teams with one key each. The
 * credential is looked up in the build's context, so it lives in the folder's own credentials
 * store; a job in the folder may not name another tenant or credential. The nearest folder with
 * this property wins.
 */
public final class DvoPolicyGateFolderProperty extends AbstractFolderProperty<AbstractFolder<?>> {

  private String tenant;
  private String credentialsId;

  @DataBoundConstructor
  public DvoPolicyGateFolderProperty() {}

  public @CheckForNull String getTenant() {
    return tenant;
  }

  @DataBoundSetter
  public void setTenant(String tenant) {
    this.tenant = Util.fixEmptyAndTrim(tenant);
  }

  public @CheckForNull String getCredentialsId() {
    return credentialsId;
  }

  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
  }

  /** The pin of the nearest folder above {@code parent} that sets anything, or null. */
  static @CheckForNull FolderPin pinFor(ItemGroup<?> parent) {
    for (ItemGroup<?> group = parent;
        group instanceof AbstractFolder<?> folder;
        group = folder.getParent()) {
      DvoPolicyGateFolderProperty p = folder.getProperties().get(DvoPolicyGateFolderProperty.class);
      if (p != null && (p.getTenant() != null || p.getCredentialsId() != null)) {
        return new FolderPin(folder.getFullName(), p.getTenant(), p.getCredentialsId());
      }
    }
    return null;
  }

  /** "DVO Policy Gate" in the folder's configuration. */
  @Extension
  @Symbol("dvoPolicyGate")
  public static final class DescriptorImpl extends AbstractFolderPropertyDescriptor {

    @NonNull
    @Override
    public String getDisplayName() {
      return "DVO Policy Gate: tenant and gate credential for this folder's jobs";
    }

    public FormValidation doCheckTenant(@QueryParameter String value) {
      String text = Util.fixEmptyAndTrim(value);
      if (text == null) {
        return FormValidation.ok();
      }
      return text.chars()
              .allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
          ? FormValidation.ok()
          : FormValidation.error("A tenant id uses letters, digits, '-', '_' and '.' only.");
    }

    /** The Secret text credentials visible in this folder (its own and inherited ones). */
    @POST
    public ListBoxModel doFillCredentialsIdItems(
        @AncestorInPath AbstractFolder<?> folder, @QueryParameter String credentialsId) {
      StandardListBoxModel items = new StandardListBoxModel();
      if (folder == null || !folder.hasPermission(Item.CONFIGURE)) {
        return items.includeCurrentValue(credentialsId);
      }
      return items
          .includeEmptyValue()
          .includeMatchingAs(
              ACL.SYSTEM2,
              (ItemGroup<?>) folder,
              StringCredentials.class,
              List.of(),
              CredentialsMatchers.always())
          .includeCurrentValue(credentialsId);
    }

    /**
     * Errors for an unknown id; a warning when the credential is a controller-wide Global one,
     * which every job on the controller could bind and print.
     */
    @POST
    public FormValidation doCheckCredentialsId(
        @AncestorInPath AbstractFolder<?> folder, @QueryParameter String value) {
      String id = Util.fixEmptyAndTrim(value);
      if (folder == null || id == null || !folder.hasPermission(Item.CONFIGURE)) {
        return FormValidation.ok();
      }
      StringCredentials visible =
          CredentialsMatchers.firstOrNull(
              CredentialsProvider.lookupCredentialsInItemGroup(
                  StringCredentials.class, folder, ACL.SYSTEM2, List.of()),
              CredentialsMatchers.withId(id));
      if (visible == null) {
        return FormValidation.error("No Secret text credential with this id in this folder.");
      }
      StringCredentials root = DvoPolicyGateConfiguration.findCredentials(id);
      if (root != null && root.getScope() == CredentialsScope.GLOBAL) {
        return FormValidation.warning(
            "This is a controller-wide credential with scope Global: every job on this Jenkins"
                + " can bind it with withCredentials. Store the team's key in this folder's"
                + " credentials instead.");
      }
      return FormValidation.ok();
    }
  }
}
