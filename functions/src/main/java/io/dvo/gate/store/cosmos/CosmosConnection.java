package io.dvo.gate.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.GatewayConnectionConfig;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.SqlQuerySpec;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.CosmosContainer;
import io.dvo.gate.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gate's handle on one Cosmos DB database. The {@link CosmosClient} is built on first use, not
 * at start-up (Flex Consumption gives a function 30 s to start; building a client contacts the
 * account), and a failed build is retried on the next use rather than remembered. Every request
 * goes through {@link #attempt}, which records its request charge and turns failures into either an
 * expected status for the caller (404, 409, 412) or a {@link StoreUnavailableException}.
 */
public final class CosmosConnection implements AutoCloseable {
  /** Throttled requests (429) are retried by the SDK after the server's retry-after. */
  static final ThrottlingRetryOptions THROTTLING =
      new ThrottlingRetryOptions()
          .setMaxRetryAttemptsOnThrottledRequests(9)
          .setMaxRetryWaitTime(Duration.ofSeconds(30));

  private final CosmosSettings settings;
  private final Supplier<CosmosClient> clientFactory;
  private final boolean ownsClient;
  private final CosmosRequestCharges charges = new CosmosRequestCharges();
  private final Map<CosmosContainer, com.azure.cosmos.CosmosContainer> containers =
      new ConcurrentHashMap<>();
  private volatile CosmosClient client;
  private volatile boolean databaseReady;

  private CosmosConnection(
      CosmosSettings settings, Supplier<CosmosClient> clientFactory, boolean ownsClient) {
    this.settings = settings;
    this.clientFactory = clientFactory;
    this.ownsClient = ownsClient;
  }

  /** A connection that builds (and on close, closes) its own client from {@code settings}. */
  public static CosmosConnection create(CosmosSettings settings) {
    return new CosmosConnection(settings, () -> buildClient(settings), true);
  }

  /** A connection to {@code settings.database()} over a client someone else owns and closes. */
  public static CosmosConnection sharing(CosmosSettings settings, CosmosClient client) {
    return new CosmosConnection(settings, () -> client, false);
  }

  /** Builds a client as configured: gateway mode, Entra ID unless a key is given. */
  public static CosmosClient buildClient(CosmosSettings settings) {
    CosmosClientBuilder builder =
        new CosmosClientBuilder()
            .endpoint(settings.endpoint())
            .gatewayMode(new GatewayConnectionConfig())
            .throttlingRetryOptions(THROTTLING)
            .contentResponseOnWriteEnabled(false)
            .userAgentSuffix("dvo-gate");
    if (settings.key() != null) {
      builder.key(settings.key());
    } else {
      DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
      if (settings.managedIdentityClientId() != null) {
        credential.managedIdentityClientId(settings.managedIdentityClientId());
      }
      builder.credential(credential.build());
    }
    return builder.buildClient();
  }

  public CosmosSettings settings() {
    return settings;
  }

  /** Request units spent through this connection, per store operation. */
  public CosmosRequestCharges requestCharges() {
    return charges;
  }

  /** The SDK handle of {@code container}, creating database and container first if allowed. */
  com.azure.cosmos.CosmosContainer container(CosmosContainer container) {
    com.azure.cosmos.CosmosContainer known = containers.get(container);
    if (known != null) {
      return known;
    }
    synchronized (this) {
      known = containers.get(container);
      if (known != null) {
        return known;
      }
      CosmosDatabase database = client().getDatabase(settings.database());
      if (settings.createContainers()) {
        createIfMissing(container);
      }
      com.azure.cosmos.CosmosContainer handle = database.getContainer(container.containerName());
      containers.put(container, handle);
      return handle;
    }
  }

  private void createIfMissing(CosmosContainer container) {
    if (!databaseReady) {
      attempt(
          "setup",
          "createDatabaseIfNotExists",
          () -> client().createDatabaseIfNotExists(settings.database()),
          r -> r.getRequestCharge());
      databaseReady = true;
    }
    CosmosContainerProperties properties =
        new CosmosContainerProperties(container.containerName(), container.partitionKeyPath());
    properties.setDefaultTimeToLiveInSeconds(container.defaultTtlSeconds());
    attempt(
        "setup",
        "createContainerIfNotExists " + container.containerName(),
        () -> client().getDatabase(settings.database()).createContainerIfNotExists(properties),
        r -> r.getRequestCharge());
  }

  private CosmosClient client() {
    CosmosClient current = client;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (client == null) {
        try {
          client = clientFactory.get();
        } catch (RuntimeException e) {
          throw new StoreUnavailableException(
              "connect",
              "cannot connect to Cosmos DB at " + settings.endpoint() + ": " + describe(e),
              e);
        }
      }
      return client;
    }
  }

  /** The outcome of one request: the response, or the failure status the caller said it expects. */
  record Attempt<R>(R response, int failedStatus) {
    boolean ok() {
      return failedStatus == 0;
    }
  }

  /**
   * Runs one request. A {@link CosmosException} whose status is in {@code expected} becomes a
   * failed attempt; any other failure (throttled past the SDK's retries, server errors, network,
   * authentication) becomes a {@link StoreUnavailableException}, so callers fail closed.
   */
  <R> Attempt<R> attempt(
      String operation,
      String request,
      Supplier<R> call,
      ToDoubleFunction<R> charge,
      int... expected) {
    try {
      R response = call.get();
      charges.record(operation, request, charge.applyAsDouble(response));
      return new Attempt<>(response, 0);
    } catch (CosmosException e) {
      charges.record(operation, request, e.getRequestCharge());
      if (isExpected(e, expected)) {
        return new Attempt<>(null, e.getStatusCode());
      }
      throw unavailable(operation, e);
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(operation, describe(e), e);
    }
  }

  /** Runs a query to the end, recording each page's request charge. */
  List<JsonNode> query(
      String operation,
      CosmosContainer container,
      SqlQuerySpec query,
      CosmosQueryRequestOptions options,
      int pageSize) {
    List<JsonNode> results = new ArrayList<>();
    try {
      for (FeedResponse<JsonNode> page :
          container(container)
              .queryItems(query, options, JsonNode.class)
              .iterableByPage(pageSize)) {
        charges.record(operation, "query", page.getRequestCharge());
        results.addAll(page.getResults());
      }
      return results;
    } catch (CosmosException e) {
      charges.record(operation, "query", e.getRequestCharge());
      throw unavailable(operation, e);
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(operation, describe(e), e);
    }
  }

  /**
   * Whether a failure is an answer the caller handles. A 404 counts only when the item is missing
   * (sub-status 0): a missing container or database (1003) is a broken deployment, not "not found".
   */
  static boolean isExpected(CosmosException e, int... expected) {
    int status = e.getStatusCode();
    if (status == 404 && e.getSubStatusCode() != 0) {
      return false;
    }
    return Arrays.stream(expected).anyMatch(s -> s == status);
  }

  static StoreUnavailableException unavailable(String operation, CosmosException e) {
    String why =
        e.getStatusCode() == 429
            ? "Cosmos DB is throttling requests (429) beyond the retry budget"
            : "Cosmos DB answered " + e.getStatusCode() + "/" + e.getSubStatusCode();
    return new StoreUnavailableException(operation, why, e);
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    String firstLine = message == null ? "" : message.lines().findFirst().orElse("");
    if (firstLine.length() > 200) {
      firstLine = firstLine.substring(0, 200) + "...";
    }
    return e.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
  }

  @Override
  public void close() {
    CosmosClient current = client;
    if (ownsClient && current != null) {
      current.close();
    }
  }
}
