-- wrk script: POST /api/v1/gate (allow path) or /api/v1/evaluate with a fresh idempotency key per
-- request, signed in with development-mode headers. LOAD_PATH picks the endpoint.
-- Answers with status >= 400 are counted by wrk itself (errors.status); there is no response()
-- callback, since parsing every answer in Lua would take CPU from the server on this machine.
local path = os.getenv("LOAD_PATH") or "/api/v1/gate"
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  prefix = string.format("load-%d-%d-%d", os.time(), tid, math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"tenant_id":"load","idempotency_key":"%s-%d","agent_id":"load-agent",' ..
    '"environment":"dev","estimate":1,"attributes":{"change":"CHG-1"}}', prefix, counter)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["X-Dev-User"] = "load-pipeline",
    ["X-Dev-Roles"] = "gate_caller",
    ["X-Tenant-Id"] = "load",
  }, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT path=%s requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    path, summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
