package io.dvo.gate.store.cosmos;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the shared Cosmos test server before a test class (once per run) and stops it when the
 * whole run ends. A class using it fails, never skips, when the server cannot start.
 */
public final class CosmosTestServerExtension implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CosmosTestServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    CosmosTestServer server = CosmosTestServer.shared();
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "server",
            k -> (ExtensionContext.Store.CloseableResource) CosmosTestServer::stopShared,
            ExtensionContext.Store.CloseableResource.class);
    if (server.port() <= 0) {
      throw new IllegalStateException("the Cosmos test server reported no port");
    }
  }
}
