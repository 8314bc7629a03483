-- wrk script: GET /api/v1/health, reporting in the same format as gate.lua.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT path=/api/v1/health requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
