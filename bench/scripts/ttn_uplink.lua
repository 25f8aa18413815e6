-- POST /api/v1/ingest/ttn with TTN v3 uplink messages no request has sent before.
--
-- Arguments: EUIS_FILE BASE THREADS SECRET
--   EUIS_FILE  one registered DevEUI per line
--   BASE       epoch seconds after every uplink time already stored
--   THREADS    wrk's thread count, so that the threads share out the request numbers
--   SECRET     the X-Freiweg-Secret header value
--
-- Request number g (unique over all threads) comes from device g mod S with frame counter g and
-- an uplink time of BASE - 60 * floor(g / S): every uplink is new and its one-minute window too.

local report = require("report")

setup = report.setup
done = report.done

local euis = {}
local base, nthreads, secret
local counter = 0

new_total = 0
known_total = 0
unexpected_total = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      euis[#euis + 1] = line
    end
  end
  base = tonumber(args[2])
  nthreads = tonumber(args[3])
  secret = args[4]
end

local template = [[{"end_device_ids":{"device_id":"pax-%d","application_ids":{"application_id":"bench"},]]
  .. [["dev_eui":"%s","dev_addr":"260B1F2C"},"correlation_ids":["as:up:bench%d"],"received_at":"%s",]]
  .. [["uplink_message":{"session_key_id":"AZNx8r0PqXb1yK4F3e2LtA==","f_port":1,"f_cnt":%d,]]
  .. [["frm_payload":"BwADAA==","decoded_payload":{"ble":3,"pax":10,"wifi":7},]]
  .. [["rx_metadata":[{"gateway_ids":{"gateway_id":"bench-gw"},"rssi":-97,"snr":7.25,"channel_index":2}],]]
  .. [["settings":{"data_rate":{"lora":{"bandwidth":125000,"spreading_factor":7}},"frequency":"868500000"},]]
  .. [["received_at":"%s","consumed_airtime":"0.051456s"}}]]

function request()
  local g = counter * nthreads + thread_id
  counter = counter + 1
  local device = g % #euis
  local t = base - 60 * math.floor(g / #euis)
  local stamp = os.date("!%Y-%m-%dT%H:%M:%S.000000000Z", t)
  local body = string.format(template, device, euis[device + 1], g, stamp, g, stamp)
  return wrk.format("POST", "/api/v1/ingest/ttn", {
    ["X-Freiweg-Secret"] = secret,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected_total = unexpected_total + 1
    return
  end
  if string.find(body, '"outcome":"stored"', 1, true) then
    new_total = new_total + 1
  elseif string.find(body, '"outcome":"duplicate"', 1, true) then
    known_total = known_total + 1
  else
    unexpected_total = unexpected_total + 1
  end
end
