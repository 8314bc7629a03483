#!/usr/bin/env node
// Starts @vercel/cosmosdb-server (in memory) on 127.0.0.1 for the gate's Cosmos store tests, with
// the fixes the Azure Cosmos Java SDK needs (see docs/storage.md, "The Cosmos test server"):
//   1. the SDK asks the gateway for a query plan (header x-ms-cosmos-is-query-plan-request) before
//      every query; we answer with a pass-through plan, so the server itself runs the query text
//      (ORDER BY, TOP, VALUE COUNT, parameters) over a single partition key range;
//   2. the server refuses queries without x-ms-documentdb-query-enablecrosspartition, which the
//      Java SDK never sends; we add it;
//   3. the server ignores the partition-key header on queries; we restrict the query to the
//      documents of that partition;
//   4. reading a missing document throws inside the server (500); we answer 404 NotFound, and,
//      as Cosmos DB does, mark a 404 for a missing container with sub-status 1003;
//   5. resource ids (_rid) are written in plain base64, so the 63rd database (and every id whose
//      bytes encode to "/") gets an id with a "/" in it, which breaks the rid-based paths the SDK
//      requests (dbs/<rid>/colls/<rid>/pkranges): its containers never get a routing map, and every
//      operation on them times out or answers 404/1024. Cosmos DB writes "-" for "/"; so do we.
//   6. transactional batches (x-ms-cosmos-batch-atomic) were not atomic, and their operations
//      did not take the batch's partition key (the Java SDK sends it once, as the request's
//      header): operations before a failing one stayed applied. As Cosmos DB does, a batch is now
//      all or nothing: when an operation fails, the earlier ones are rolled back, the answer is
//      207 Multi-Status with the failing operation's status (409, 412, 404, ...) and 424 Failed
//      Dependency for every other operation, and nothing is written.
// Test controls, so the gate's tests can see what a troubled account does to one tenant (partition
// key value) while the others are served: on a second, plain-HTTP port on 127.0.0.1,
//   POST /partitions/<url-encoded key>/stall[?writes=true|batches=true]
//                                                       hold that partition's requests (or only
//                                                       its writes: reads are served) until
//                                                       release, then serve them in order: late
//                                                       writes, as a client that gave up sees them
//   POST /partitions/<url-encoded key>/throttle?retryAfterMs=N
//                                                       answer its requests 429 with
//                                                       x-ms-retry-after-ms: N
//   POST /partitions/<url-encoded key>/release          serve it normally again, held requests first
//   GET  /partitions/<url-encoded key>                  {"held": n, "stalled": bool, "throttled": n}
//   GET  /counts/<database id>                          round trips to that database so far, by
//                                                       container and operation, e.g.
//                                                       {"quotas.read": 3, "quotas.read!404": 1}
//                                                       (read, query, query-plan, create, upsert,
//                                                       replace, patch, delete, batch; metadata for
//                                                       database, container and key-range reads;
//                                                       "!<status>" counts the answers >= 400 again;
//                                                       "<container>.batch+<op>" counts the
//                                                       operations inside batches, which are not
//                                                       round trips of their own)
// Usage: node launch.js --pfx <file.p12> [--port N]   (passphrase in env COSMOS_TEST_PFX_PASSWORD)
// Prints one line "COSMOS_TEST_SERVER_READY port=<port> control=<port>" on stdout when both are
// listening. Exits when its stdin closes, so a server never outlives the test run that started it.
"use strict";

const fs = require("fs");
const http = require("http");
const { PassThrough } = require("stream");
const { AsyncLocalStorage } = require("async_hooks");

const LIB = "@vercel/cosmosdb-server/lib";
const QUERY_PLAN_HEADER = "x-ms-cosmos-is-query-plan-request";
const CROSS_PARTITION_HEADER = "x-ms-documentdb-query-enablecrosspartition";
const PARTITION_KEY_HEADER = "x-ms-documentdb-partitionkey";

function parseArgs(argv) {
  const args = { port: 0, pfx: null };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--port") args.port = parseInt(argv[++i], 10);
    else if (argv[i] === "--pfx") args.pfx = argv[++i];
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  if (!args.pfx) throw new Error("--pfx <PKCS#12 file with the server certificate> is required");
  return args;
}

const partitionScope = new AsyncLocalStorage();

// Fix 3: while a query runs for one partition key, the collection's items are only that partition's.
// Items.query is synchronous, so swapping the map for the duration of the call is race-free.
function restrictQueriesToPartition() {
  const Items = require(`${LIB}/account/items`).default;
  const getValue = require(`${LIB}/utils/get-value`).default;
  const query = Items.prototype.query;
  Items.prototype.query = function scopedQuery(params, options) {
    const scope = partitionScope.getStore();
    if (!scope) return query.call(this, params, options);
    const all = this._data;
    const path = this._getPartitionKeyPath();
    const inPartition = [...all].filter(
      ([, item]) => JSON.stringify(getValue(path, item.read())) === JSON.stringify(scope.value)
    );
    this._data = new Map(inPartition);
    try {
      return query.call(this, params, options);
    } finally {
      this._data = all;
    }
  };
}

function partitionKeyOf(req) {
  const header = req.headers[PARTITION_KEY_HEADER];
  if (!header || header === "[{}]") return undefined;
  const parsed = JSON.parse(Array.isArray(header) ? header[0] : header);
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

// A plan that asks the SDK to do nothing itself: no ORDER BY merge, no TOP, no aggregates. With the
// server's single partition key range, the server's own result is the query's result.
// The SDK wraps non-object results (SELECT VALUE ...) unless the plan says the query selects a value.
function passThroughPlan(queryText) {
  const selectsValue = /^\s*SELECT\s+(TOP\s+\S+\s+)?VALUE\s/i.test(queryText);
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: "None",
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: "",
      hasSelectValue: selectsValue,
      hasNonStreamingOrderBy: false
    },
    queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
  };
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", chunk => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch (err) {
        reject(err);
      }
    });
    req.on("error", reject);
  });
}

// Fixes 1-3 around the server's query handler.
function patchQueryHandler() {
  const module = require(`${LIB}/handler/query-documents`);
  const handler = module.default;
  module.default = (account, req, res, params) => {
    if (String(req.headers[QUERY_PLAN_HEADER]).toLowerCase() === "true") {
      return readJson(req).then(body => passThroughPlan(body.query || ""));
    }
    req.headers[CROSS_PARTITION_HEADER] = "true";
    const value = partitionKeyOf(req);
    if (value === undefined) return handler(account, req, res, params);
    return partitionScope.run({ value }, () => handler(account, req, res, params));
  };
}

// Fix 4: the server dereferences the missing document and throws a TypeError (answered 500).
function patchReadDocument() {
  const module = require(`${LIB}/handler/read-document`);
  const handler = module.default;
  module.default = (account, req, res, params) => {
    if (!account.database(params.dbId).collection(params.collId).read()) {
      res.setHeader("x-ms-substatus", "1003");
    }
    try {
      return handler(account, req, res, params);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      res.statusCode = 404;
      return {
        code: "NotFound",
        message: "Entity with the specified id does not exist in the system."
      };
    }
  };
}

// Fix 6: an atomic batch over the server's own operations, rolled back when one fails.
function patchBatchHandler() {
  const module = require(`${LIB}/handler/batch-documents`);
  const operations = require(`${LIB}/handler/_document-operations`);
  const perType = {
    Create: operations.createOperation,
    Upsert: operations.upsertOperation,
    Read: operations.readOperation,
    Delete: operations.deleteOperation,
    Replace: operations.replaceOperation
  };
  const truthy = (req, name) => String(req.headers[name] || "").toLowerCase() === "true";
  module.default = async (account, req, res, { dbId, collId }) => {
    const body = await readJson(req);
    const collection = account.database(dbId).collection(collId);
    if (!collection.read()) {
      res.statusCode = 404;
      res.setHeader("x-ms-substatus", "1003");
      return { code: "NotFound", message: "Resource Not Found" };
    }
    if (!Array.isArray(body)) {
      res.statusCode = 400;
      return { code: "BadRequest", message: "Invalid request body" };
    }
    const atomic = truthy(req, "x-ms-cosmos-batch-atomic");
    const continueOnError = !atomic && truthy(req, "x-ms-cosmos-batch-continue-on-error");
    const header = req.headers[PARTITION_KEY_HEADER];
    const partitionKey = Array.isArray(header) ? header[0] : header;
    const items = collection.documents;
    const snapshot = atomic
      ? { data: new Map(items._data), index: new Map(items._index), rids: items._ridCount }
      : null;
    const counts = roundTrips.get(dbId) || new Map();
    roundTrips.set(dbId, counts);
    body.forEach(input => {
      const name = `${collId}.batch+${String((input || {}).operationType).toLowerCase()}`;
      counts.set(name, (counts.get(name) || 0) + 1);
    });
    const results = [];
    let failedAt = -1;
    for (let i = 0; i < body.length; i += 1) {
      if (failedAt >= 0 && !continueOnError) {
        results.push({ statusCode: 424, requestCharge: 0 });
        continue;
      }
      const input = { ...(body[i] || {}) };
      if (input.partitionKey === undefined) input.partitionKey = partitionKey;
      const run = perType[input.operationType];
      if (!run) {
        if (snapshot) restore(items, snapshot);
        res.statusCode = 400;
        return {
          code: "BadRequest",
          message: `Operation type '${input.operationType}' is not supported in Batch.`
        };
      }
      const result = run(collection, input);
      if (result.statusCode >= 400) {
        if (failedAt < 0) failedAt = i;
        results.push({ statusCode: result.statusCode, requestCharge: 0 });
      } else {
        results.push({
          statusCode: result.statusCode,
          requestCharge: 1,
          eTag: result.body ? result.body._etag : undefined,
          resourceBody: result.body
        });
      }
    }
    if (atomic && failedAt >= 0) {
      restore(items, snapshot);
      for (let i = 0; i < failedAt; i += 1) results[i] = { statusCode: 424, requestCharge: 0 };
      res.statusCode = 207;
    }
    return results;
  };
}

function restore(items, snapshot) {
  items._data = snapshot.data;
  items._index = snapshot.index;
  items._ridCount = snapshot.rids;
}

// Per partition key value: stalled (requests held until release) or throttled (answered 429).
const troubles = new Map();

function troubleOf(req) {
  let value;
  try {
    value = partitionKeyOf(req);
  } catch (err) {
    return undefined;
  }
  return value === undefined ? undefined : troubles.get(String(value));
}

// A held request's body is read at once (the client may give up meanwhile) and replayed on release.
function hold(trouble, req, res, serve) {
  const chunks = [];
  req.on("data", chunk => chunks.push(chunk));
  req.on("end", () => {
    trouble.held.push(() => {
      const replay = new PassThrough();
      replay.method = req.method;
      replay.url = req.url;
      replay.headers = req.headers;
      replay.end(Buffer.concat(chunks));
      serve(replay, res);
    });
  });
}

function throttle(trouble, res) {
  res.statusCode = 429;
  res.setHeader("content-type", "application/json");
  res.setHeader("x-ms-retry-after-ms", String(trouble.retryAfterMs));
  res.setHeader("x-ms-substatus", "3200");
  res.setHeader("x-ms-request-charge", "0");
  res.setHeader("x-ms-activity-id", require("crypto").randomUUID());
  res.end(JSON.stringify({ code: "429", message: "Request rate is large (test server throttling)" }));
}

// Round trips per database, container and operation (docs/benchmarks.md converts them to RU).
const roundTrips = new Map();

function operationOf(req) {
  const path = new URL(req.url, "http://127.0.0.1").pathname;
  const match = /^\/dbs\/([^/]+)(?:\/colls\/([^/]+)(?:\/(docs|pkranges)(?:\/([^/]+))?)?)?/.exec(path);
  if (!match) return { db: "", name: "metadata" };
  const [, db, coll, kind, id] = match;
  const header = name => String(req.headers[name] || "").toLowerCase();
  let op = "metadata";
  if (kind === "docs" && id) {
    op = { GET: "read", PUT: "replace", DELETE: "delete", PATCH: "patch" }[req.method] || req.method;
  } else if (kind === "docs" && req.method === "POST") {
    if (header(QUERY_PLAN_HEADER) === "true") op = "query-plan";
    else if (header("x-ms-documentdb-isquery") === "true" ||
        header("content-type").startsWith("application/query+json")) op = "query";
    else if (header("x-ms-cosmos-is-batch-request") === "true") op = "batch";
    else if (header("x-ms-documentdb-is-upsert") === "true") op = "upsert";
    else op = "create";
  } else if (kind === "docs" && req.method === "GET") {
    op = "read-feed";
  }
  return { db: decodeURIComponent(db), name: op === "metadata" ? op : `${decodeURIComponent(coll)}.${op}` };
}

function countRoundTrips(server) {
  const [serve] = server.listeners("request");
  server.removeAllListeners("request");
  server.on("request", (req, res) => {
    const { db, name } = operationOf(req);
    const counts = roundTrips.get(db) || new Map();
    roundTrips.set(db, counts);
    counts.set(name, (counts.get(name) || 0) + 1);
    res.on("finish", () => {
      if (res.statusCode >= 400) {
        const failed = `${name}!${res.statusCode}`;
        counts.set(failed, (counts.get(failed) || 0) + 1);
      }
    });
    return serve(req, res);
  });
}

// Wraps the server's request listener with the troubles above.
function addTroubles(server) {
  const [serve] = server.listeners("request");
  server.removeAllListeners("request");
  server.on("request", (req, res) => {
    const trouble = troubleOf(req);
    const isBatch =
      String(req.headers["x-ms-cosmos-is-batch-request"] || "").toLowerCase() === "true";
    if (trouble && trouble.stalled && (!trouble.writesOnly || req.method !== "GET") &&
        (!trouble.batchesOnly || isBatch)) {
      return hold(trouble, req, res, serve);
    }
    if (trouble && trouble.retryAfterMs > 0) return throttle(trouble, res);
    return serve(req, res);
  });
}

function control(req, res) {
  const url = new URL(req.url, "http://127.0.0.1");
  const counted = /^\/counts\/([^/]+)$/.exec(url.pathname);
  if (counted && req.method === "GET") {
    res.statusCode = 200;
    res.setHeader("content-type", "application/json");
    const counts = roundTrips.get(decodeURIComponent(counted[1])) || new Map();
    return res.end(JSON.stringify(Object.fromEntries(counts)));
  }
  const match = /^\/partitions\/([^/]+)(?:\/(stall|throttle|release))?$/.exec(url.pathname);
  const reply = (status, body) => {
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  };
  if (!match) return reply(404, { message: "no such control" });
  const key = decodeURIComponent(match[1]);
  const trouble = troubles.get(key) ||
    { stalled: false, writesOnly: false, batchesOnly: false, retryAfterMs: 0, held: [] };
  const action = match[2];
  if (req.method === "POST" && action === "stall") {
    trouble.stalled = true;
    trouble.writesOnly = url.searchParams.get("writes") === "true";
    trouble.batchesOnly = url.searchParams.get("batches") === "true";
  } else if (req.method === "POST" && action === "throttle") {
    trouble.retryAfterMs = Math.max(1, parseInt(url.searchParams.get("retryAfterMs") || "100", 10));
  } else if (req.method === "POST" && action === "release") {
    troubles.delete(key);
    const held = trouble.held.splice(0);
    held.forEach(replay => replay());
    return reply(200, { released: held.length });
  } else if (req.method !== "GET" || action) {
    return reply(405, { message: "use POST .../stall|throttle|release or GET" });
  }
  if (action) troubles.set(key, trouble);
  return reply(200, { held: trouble.held.length, stalled: trouble.stalled, throttled: trouble.retryAfterMs });
}

// Fix 5: Cosmos DB's rid alphabet ("-" where base64 has "/"), both ways.
function patchResourceIds() {
  const ResourceId = require(`${LIB}/account/resource-id`).default;
  ResourceId.toBase64String = buffer => buffer.toString("base64").replace(/\//g, "-");
  ResourceId.fromBase64String = s => Buffer.from(String(s).replace(/-/g, "/"), "base64");
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  restrictQueriesToPartition();
  patchQueryHandler();
  patchReadDocument();
  patchResourceIds();
  patchBatchHandler();
  // The route table captures handler functions when first loaded: patch before this require.
  const { createHttpsServer } = require(LIB);
  const server = createHttpsServer({
    cert: undefined,
    key: undefined,
    pfx: fs.readFileSync(args.pfx),
    passphrase: process.env.COSMOS_TEST_PFX_PASSWORD || "",
    keepAlive: true
  });
  server.keepAliveTimeout = 60000;
  addTroubles(server);
  countRoundTrips(server); // outermost: a throttled or held request is a round trip too
  const controls = http.createServer(control);
  server.listen(args.port, "127.0.0.1", () => {
    controls.listen(0, "127.0.0.1", () => {
      process.stdout.write(
        `COSMOS_TEST_SERVER_READY port=${server.address().port} control=${controls.address().port}\n`
      );
    });
  });
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

main();
