-- POST /api/v1/counts with counts no request has sent before.
--
-- Arguments: TOKENS_FILE BASE BATCH THREADS
--   TOKENS_FILE  one sensor token per line
--   BASE         a minute boundary (epoch seconds) before every window already stored
--   BATCH        counts per request (1 or 1000)
--   THREADS      wrk's thread count, so that the threads share out the request numbers
--
-- Request number g (unique over all threads) goes to sensor g mod S and carries the BATCH
-- one-minute windows of slot floor(g / S), walking backwards in time from BASE: every window of
-- every request is new, so the server stores all of them.

local report = require("report")

setup = report.setup
done = report.done

local tokens = {}
local base, batch, nthreads
local counter = 0
local hour_prefix = {}
local hour_prefix_size = 0

new_total = 0
known_total = 0
unexpected_total = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      tokens[#tokens + 1] = line
    end
  end
  base = tonumber(args[2])
  batch = tonumber(args[3])
  nthreads = tonumber(args[4])
end

local function iso(t)
  local hour = t - t % 3600
  local prefix = hour_prefix[hour]
  if prefix == nil then
    if hour_prefix_size > 4096 then
      hour_prefix = {}
      hour_prefix_size = 0
    end
    prefix = os.date("!%Y-%m-%dT%H:", hour)
    hour_prefix[hour] = prefix
    hour_prefix_size = hour_prefix_size + 1
  end
  return string.format("%s%02d:%02d+00:00", prefix, math.floor((t % 3600) / 60), t % 60)
end

function request()
  local g = counter * nthreads + thread_id
  counter = counter + 1
  local sensor = g % #tokens
  local slot = math.floor(g / #tokens)
  local first = base - (slot + 1) * batch * 60
  local items = {}
  for k = 0, batch - 1 do
    local start = first + k * 60
    items[k + 1] = string.format(
      '{"start":"%s","end":"%s","kind":"presence","value":%d}',
      iso(start), iso(start + 60), (start / 60 + sensor) % 37)
  end
  local body = '{"counts":[' .. table.concat(items, ",") .. "]}"
  return wrk.format("POST", "/api/v1/counts", {
    ["Authorization"] = "Bearer " .. tokens[sensor + 1],
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected_total = unexpected_total + 1
    return
  end
  local new = tonumber(string.match(body, '"new":(%d+)'))
  local known = tonumber(string.match(body, '"known":(%d+)'))
  if new == nil or known == nil then
    unexpected_total = unexpected_total + 1
    return
  end
  new_total = new_total + new
  known_total = known_total + known
end
