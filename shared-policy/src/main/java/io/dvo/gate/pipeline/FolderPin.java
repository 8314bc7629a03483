package io.dvo.gate.pipeline;

/**
 * What a folder's DVO Policy Gate property fixes for every job below it, so one controller serves
 * several teams, each with its own tenant and its own gate key.
 *
 * @param folder the folder's full name, for messages
 * @param tenant the tenant every step in the folder uses; null leaves it open
 * @param credentialsId the credential every step in the folder uses (looked up in the build's
 *     context, so it lives in the folder's credentials store); null leaves it open
 */
public record FolderPin(String folder, String tenant, String credentialsId) {}
