package io.dvo.gate.service;

import io.dvo.gate.policy.PolicyEngine;

/** The compiled policies for a tenant: the file pack with the tenant's custom rules on top. */
public interface PolicySource {
  PolicyEngine engineFor(String tenantId);

  /**
   * The version of what decides for the tenant (a hash of the policy pack and the tenant's rules),
   * recorded in audit events; null when unknown.
   */
  default String versionFor(String tenantId) {
    return null;
  }
}
