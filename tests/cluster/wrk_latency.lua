-- wrk script of the fault tests: one JSON line with the latency percentiles (ms),
-- the requests, the socket errors and the answers that were not 2xx (wrk's own
-- "status" error counts only >= 400, so 3xx and 1xx are counted here).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_all = 0
  for _, thread in ipairs(threads) do
    non2xx_all = non2xx_all + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, ' ..
    '"max_ms": %.1f, "non2xx": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "status": %d}\n',
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non2xx_all,
    e.connect, e.read, e.write, e.timeout, e.status))
end
