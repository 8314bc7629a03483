package io.dvo.gate.pipeline;

/** Where a step's gate credential was chosen, which decides where Jenkins looks it up. */
public enum CredentialSource {
  /**
   * The step's own {@code credentialsId}: looked up in the build's context (folder credentials and
   * those the job may use), usage tracked on the build.
   */
  STEP,
  /** The enclosing folder's pin: looked up in the build's context like {@link #STEP}. */
  FOLDER,
  /**
   * The global configuration: a credential of the controller itself, read with system rights (scope
   * {@code SYSTEM} keeps it away from {@code withCredentials} in jobs).
   */
  GLOBAL
}
