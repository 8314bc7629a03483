package io.dvo.gate.service;

import io.dvo.gate.policy.PolicyEngine;

/** The compiled policies for a tenant: the file pack with the tenant's custom rules on top. */
public interface PolicySource {
  PolicyEngine engineFor(String tenantId);
}
