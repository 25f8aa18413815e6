-- Shared by the benchmark scripts: number the threads, and print a JSON summary when wrk is done.
-- The Python side reads the line starting with BENCH_JSON next to wrk's own text report.

local M = {}
local threads = {}

function M.setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local function total(name)
  local sum = 0
  for _, thread in ipairs(threads) do
    sum = sum + (thread:get(name) or 0)
  end
  return sum
end

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d},'
      .. '"new":%d,"known":%d,"unexpected":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9),
    total("new_total"), total("known_total"), total("unexpected_total")))
end

return M
