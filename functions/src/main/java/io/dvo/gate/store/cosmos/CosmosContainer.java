package io.dvo.gate.store.cosmos;

/**
 * Every Cosmos DB container the gate uses. The Cosmos stores take names and partition keys from
 * here, and the infrastructure contract test checks that {@code infra-bicep} declares the same.
 */
public enum CosmosContainer {
  APPROVALS("approvals", "/tenantId", -1),
  QUOTAS("quotas", "/tenantId", -1),
  USAGE("usage", "/tenantId", -1),
  POLICIES("policies", "/tenantId", -1),
  AUDIT("audit", "/tenantId", -1);

  private final String containerName;
  private final String partitionKeyPath;
  private final int defaultTtlSeconds;

  CosmosContainer(String containerName, String partitionKeyPath, int defaultTtlSeconds) {
    this.containerName = containerName;
    this.partitionKeyPath = partitionKeyPath;
    this.defaultTtlSeconds = defaultTtlSeconds;
  }

  public String containerName() {
    return containerName;
  }

  public String partitionKeyPath() {
    return partitionKeyPath;
  }

  /**
   * Container default TTL: -1 means TTL is enabled but items live until they set their own {@code
   * ttl} (clean-up only; expiry of approvals is enforced in code, never by TTL).
   */
  public int defaultTtlSeconds() {
    return defaultTtlSeconds;
  }
}
