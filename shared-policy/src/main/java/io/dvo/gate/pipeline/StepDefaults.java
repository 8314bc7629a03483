package io.dvo.gate.pipeline;

/**
 * What the Jenkins configuration says for a step: the global configuration's default tenant and
 * credential, and the nearest folder's pin, if any.
 *
 * @param tenant the global default tenant; may be null
 * @param credentialsId the global credential (a system credential of the controller); may be null
 * @param folder the nearest enclosing folder's pin; null when no folder pins anything
 */
public record StepDefaults(String tenant, String credentialsId, FolderPin folder) {}
