package io.dvo.gate.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfig;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfigBuilder;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.GatewayConnectionConfig;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.limits.KeyedPermits;
import io.dvo.gate.store.StoreHealth;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gate's handle on one Cosmos DB database. The {@link CosmosClient} is built on first use, not
 * at start-up (Flex Consumption gives a function 30 s to start; building a client contacts the
 * account), and a failed build is retried on the next use rather than remembered.
 *
 * <p>Every store operation is an {@link Operation}: it has a deadline ({@link
 * CosmosSettings#operationTimeout()}), which every request in it carries as the SDK's end-to-end
 * timeout (so throttling retries and a stalled account end there, answered 503), and it holds one
 * of its tenant's permits ({@link CosmosSettings#tenantConcurrency()}; none free: 503 at once), so
 * a tenant in trouble occupies a bounded number of threads. Every request goes through {@link
 * Operation#attempt}, which records its request charge and turns failures into either an expected
 * status for the caller (404, 409, 412) or a {@link StoreUnavailableException}.
 */
public final class CosmosConnection implements AutoCloseable, Stores.HealthReporting {
  private final CosmosSettings settings;
  private final Supplier<CosmosClient> clientFactory;
  private final boolean ownsClient;
  private final CosmosRequestCharges charges = new CosmosRequestCharges();
  private final Map<CosmosContainer, com.azure.cosmos.CosmosContainer> containers =
      new ConcurrentHashMap<>();
  private final KeyedPermits tenantPermits;
  private final ExecutorService queries =
      Executors.newCachedThreadPool(CosmosConnection::queryThread);
  private final StoreHealth health = new StoreHealth(Clock.systemUTC());
  private volatile CosmosClient client;
  private volatile boolean databaseReady;

  private CosmosConnection(
      CosmosSettings settings, Supplier<CosmosClient> clientFactory, boolean ownsClient) {
    this.settings = settings;
    this.clientFactory = clientFactory;
    this.ownsClient = ownsClient;
    this.tenantPermits = new KeyedPermits(settings.tenantConcurrency());
  }

  /** A connection that builds (and on close, closes) its own client from {@code settings}. */
  public static CosmosConnection create(CosmosSettings settings) {
    return new CosmosConnection(settings, () -> buildClient(settings), true);
  }

  /** A connection to {@code settings.database()} over a client someone else owns and closes. */
  public static CosmosConnection sharing(CosmosSettings settings, CosmosClient client) {
    return new CosmosConnection(settings, () -> client, false);
  }

  /**
   * Builds a client as configured: gateway mode, Entra ID unless a key is given. Throttled requests
   * (429) are retried by the SDK after the server's retry-after, within the operation's deadline;
   * the deadline is also the client's default end-to-end timeout (requests made outside an
   * operation, e.g. creating containers).
   */
  public static CosmosClient buildClient(CosmosSettings settings) {
    CosmosClientBuilder builder =
        new CosmosClientBuilder()
            .endpoint(settings.endpoint())
            .gatewayMode(new GatewayConnectionConfig())
            .throttlingRetryOptions(
                new ThrottlingRetryOptions()
                    .setMaxRetryAttemptsOnThrottledRequests(9)
                    .setMaxRetryWaitTime(settings.operationTimeout()))
            .endToEndOperationLatencyPolicyConfig(
                new CosmosEndToEndOperationLatencyPolicyConfigBuilder(settings.operationTimeout())
                    .build())
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

  /** The outcome of this connection's writes, for the health check. */
  @Override
  public StoreHealth health() {
    return health;
  }

  /**
   * Begins a store operation for {@code tenantId} (null: not one tenant's, e.g. the expiry sweep)
   * with the configured deadline, holding one of the tenant's permits until closed.
   *
   * @throws StoreUnavailableException when the tenant has no permit free
   */
  Operation begin(String operation, String tenantId) {
    if (tenantId != null && !tenantPermits.tryAcquire(tenantId)) {
      throw new StoreUnavailableException(
          operation,
          "tenant "
              + tenantId
              + " already has "
              + tenantPermits.maxPerKey()
              + " store operations in progress (DVO_COSMOS_TENANT_CONCURRENCY)",
          null);
    }
    return new Operation(
        operation, tenantId, System.nanoTime() + settings.operationTimeout().toNanos());
  }

  /**
   * One store operation: a name for logs and request charges, a deadline that every request in it
   * carries, and (for a tenant's operation) a tenant permit, returned on close.
   */
  final class Operation implements AutoCloseable {
    private final String name;
    private final String tenantId;
    private final long deadlineNanos;
    private boolean closed;

    private Operation(String name, String tenantId, long deadlineNanos) {
      this.name = name;
      this.tenantId = tenantId;
      this.deadlineNanos = deadlineNanos;
    }

    String name() {
      return name;
    }

    /** {@link System#nanoTime()} by which the operation must have answered. */
    long deadlineNanos() {
      return deadlineNanos;
    }

    /** Time left before the deadline (never negative). */
    Duration remaining() {
      return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** Fresh item options carrying the time left as the request's end-to-end timeout. */
    CosmosItemRequestOptions itemOptions() {
      return new CosmosItemRequestOptions()
          .setCosmosEndToEndOperationLatencyPolicyConfig(timeLeft());
    }

    private CosmosEndToEndOperationLatencyPolicyConfig timeLeft() {
      Duration left = remaining();
      if (left.isZero()) {
        throw new StoreUnavailableException(
            name,
            "no answer from Cosmos DB within the deadline of "
                + settings.operationTimeout().toMillis()
                + " ms",
            null);
      }
      return new CosmosEndToEndOperationLatencyPolicyConfigBuilder(left).build();
    }

    /**
     * Runs one request with {@link #itemOptions()} (which {@code call} may add to). A {@link
     * CosmosException} whose status is in {@code expected} becomes a failed attempt; any other
     * failure (past the deadline, throttled past it, server errors, network, authentication)
     * becomes a {@link StoreUnavailableException}, so callers fail closed.
     */
    <R> Attempt<R> attempt(
        String request,
        Function<CosmosItemRequestOptions, R> call,
        ToDoubleFunction<R> charge,
        int... expected) {
      CosmosItemRequestOptions options = itemOptions();
      return CosmosConnection.this.attempt(
          name, request, () -> call.apply(options), charge, write(request), expected);
    }

    /**
     * Runs a transactional batch (one partition, all or nothing) within the deadline and records
     * its request charge. A batch the account refused as a whole because one operation failed (its
     * status is the batch's: 409, 412, 404; the others answer 424) is returned for the caller to
     * read; nothing of it was written. Any other failure (past the deadline, throttled past it,
     * server errors, network) becomes a {@link StoreUnavailableException}, so callers fail closed.
     * The SDK's batch options carry no end-to-end timeout, so, like a query, the batch runs on a
     * helper thread given up on at the deadline.
     */
    CosmosBatchResponse batch(String request, CosmosContainer container, CosmosBatch batch) {
      timeLeft(); // past the deadline already: unavailable, nothing sent
      Future<CosmosBatchResponse> running =
          queries.submit(
              () ->
                  CosmosConnection.this
                      .attempt(
                          name,
                          request,
                          () -> container(container).executeCosmosBatch(batch),
                          CosmosBatchResponse::getRequestCharge,
                          true)
                      .response());
      CosmosBatchResponse response = withinDeadline(running, "batch", true);
      int status = response.getStatusCode();
      if (!response.isSuccessStatusCode() && status != 409 && status != 412 && status != 404) {
        health.writeFailed(status == 429 ? "Cosmos DB is throttling" : "Cosmos DB answers errors");
        throw new StoreUnavailableException(
            name,
            "Cosmos DB refused the batch (status " + status + "); nothing of it was written",
            null);
      }
      return response;
    }

    /**
     * Queries one tenant's items of one type within its partition: {@code "SELECT <select> FROM c
     * WHERE c.tenantId = @tenant AND c.docType = @type<rest>"}, with {@code parameters} for what
     * {@code select} and {@code rest} name.
     */
    List<JsonNode> queryOfType(
        CosmosContainer container,
        String tenantId,
        String docType,
        String select,
        String rest,
        int pageSize,
        SqlParameter... parameters) {
      List<SqlParameter> all = new ArrayList<>(List.of(parameters));
      all.add(new SqlParameter("@tenant", tenantId));
      all.add(new SqlParameter("@type", docType));
      return query(
          container,
          new SqlQuerySpec(
              "SELECT "
                  + select
                  + " FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                  + rest,
              all),
          new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(tenantId)),
          pageSize);
    }

    /**
     * Runs a query to the end within the deadline, recording each page's request charge. The SDK's
     * end-to-end timeout covers the query's pages but not the query plan it asks for first (which
     * it retries on its own), so the query runs on a helper thread that is given up on, and
     * interrupted, at the deadline.
     */
    List<JsonNode> query(
        CosmosContainer container,
        SqlQuerySpec query,
        CosmosQueryRequestOptions options,
        int pageSize) {
      options.setCosmosEndToEndOperationLatencyPolicyConfig(timeLeft());
      Future<List<JsonNode>> running =
          queries.submit(
              () -> CosmosConnection.this.query(name, container, query, options, pageSize));
      return withinDeadline(running, "query", false);
    }

    /**
     * The result of work running on a helper thread, waited for until the operation's deadline; at
     * the deadline the work is interrupted and given up on ({@code write}: the store's health is
     * told a write failed). Failures the work threw as runtime exceptions pass through.
     */
    private <T> T withinDeadline(Future<T> running, String what, boolean write) {
      try {
        return running.get(remaining().toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        running.cancel(true);
        if (write) {
          health.writeFailed("Cosmos DB does not answer in time");
        }
        throw new StoreUnavailableException(
            name,
            "no answer from Cosmos DB within the deadline of "
                + settings.operationTimeout().toMillis()
                + " ms",
            null);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw new StoreUnavailableException(
            name, "the " + what + " failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        running.cancel(true);
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException(name, "interrupted", e);
      }
    }

    @Override
    public void close() {
      if (!closed && tenantId != null) {
        tenantPermits.release(tenantId);
      }
      closed = true;
    }
  }

  /** Whether a request writes (its failures make the health check report failing writes). */
  private static boolean write(String request) {
    return !request.startsWith("read");
  }

  /** Runs one request; see {@link Operation#attempt}. */
  <R> Attempt<R> attempt(
      String operation,
      String request,
      Supplier<R> call,
      ToDoubleFunction<R> charge,
      int... expected) {
    return attempt(operation, request, call, charge, false, expected);
  }

  private <R> Attempt<R> attempt(
      String operation,
      String request,
      Supplier<R> call,
      ToDoubleFunction<R> charge,
      boolean writes,
      int... expected) {
    try {
      R response = call.get();
      charges.record(operation, request, charge.applyAsDouble(response));
      if (writes) {
        health.writeSucceeded();
      }
      return new Attempt<>(response, 0);
    } catch (CosmosException e) {
      charges.record(operation, request, e.getRequestCharge());
      if (isExpected(e, expected)) {
        if (writes) {
          health.writeSucceeded(); // the account answered: a conflict is not a failing store
        }
        return new Attempt<>(null, e.getStatusCode());
      }
      if (writes) {
        health.writeFailed(
            e.getStatusCode() == 429
                ? "Cosmos DB is throttling"
                : e.getStatusCode() == 408
                    ? "Cosmos DB does not answer in time"
                    : "Cosmos DB answers errors");
      }
      throw unavailable(operation, e, settings);
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      if (writes) {
        health.writeFailed("Cosmos DB cannot be reached");
      }
      throw new StoreUnavailableException(operation, describe(e), e);
    }
  }

  /** Runs a query to the end, recording each page's request charge. */
  private List<JsonNode> query(
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
      throw unavailable(operation, e, settings);
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

  static StoreUnavailableException unavailable(
      String operation, CosmosException e, CosmosSettings settings) {
    String why;
    if (e.getStatusCode() == 408 && e.getSubStatusCode() == 20008) {
      // The SDK's end-to-end timeout: the operation's deadline passed (stalled or throttled).
      why =
          "no answer from Cosmos DB within the deadline of "
              + settings.operationTimeout().toMillis()
              + " ms";
    } else if (e.getStatusCode() == 429) {
      why = "Cosmos DB is throttling requests (429) beyond the retry budget";
    } else {
      why = "Cosmos DB answered " + e.getStatusCode() + "/" + e.getSubStatusCode();
    }
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

  private static Thread queryThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "dvo-gate-cosmos-query");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    queries.shutdownNow();
    CosmosClient current = client;
    if (ownsClient && current != null) {
      current.close();
    }
  }
}
