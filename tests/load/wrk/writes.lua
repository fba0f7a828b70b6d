-- Closed-loop creates for writes.sh: every connection POSTs /api/events again as soon as its answer is in.
--
-- Each request is a valid, distinct event: a title unique to the run, thread and request; a date spread over
-- 2027-2028, timed (in one of a few zones) or all-day; one of the places in PLACES (or none, online); zero to two
-- co-organizers, endorsers or participants from CO_ORGS; a few tags. The requests go round the tokens in
-- WRITE_TOKENS (one per organization, which hosts the event), each thread starting at another one, so that every
-- organization writes about as often as the others.
--
-- Environment: WRITE_TOKENS (space-separated), CO_ORGS (space-separated organization slugs none of the tokens
-- belongs to: a host listed again is refused), PLACES (space-separated place slugs), RUN_ID (goes into titles),
-- IDEMPOTENCY_KEYS (1: every request carries its own Idempotency-Key), LUA_DIR. At the end it prints summary.lua's RESULT line, then
--   PERCENTILES <p50 ms> <p90 ms> <p99 ms> <p99.9 ms>
--   STATUSES <code>:<count> ...
package.path = (os.getenv("LUA_DIR") or ".") .. "/?.lua;" .. package.path
require "summary"

local function words(s)
   local t = {}
   for w in string.gmatch(s or "", "%S+") do t[#t + 1] = w end
   return t
end

-- setup() runs in the main Lua state, once per thread, before the threads start.
local threads = {}
local next_id = 0
function setup(thread)
   next_id = next_id + 1
   thread:set("id", next_id)
   threads[#threads + 1] = thread
end

-- The rest runs in each thread's own Lua state.
local kinds = { "rally", "picket", "march", "vigil", "demonstration", "teach-in", "workshop", "panel" }
local zones = { "America/Toronto", "America/Montreal", "America/Vancouver", "Europe/Paris" }
local roles = { "co-organizer", "endorser", "participant" }
local topics = { "rent", "transit", "wages", "climate", "childcare", "housing", "health", "schools" }
local tokens, places, co_orgs
local keyed = os.getenv("IDEMPOTENCY_KEYS") == "1"
local sent = 0
statuses = {}   -- status code -> count; read back by done() through thread:get

function init(args)
   tokens = words(os.getenv("WRITE_TOKENS"))
   places = words(os.getenv("PLACES"))
   co_orgs = words(os.getenv("CO_ORGS"))
   math.randomseed(os.time() * 100 + (id or 0))
end

local function co_organizers()
   local n = math.random(0, 2)
   if n == 0 or #co_orgs == 0 then return "" end
   local first = math.random(1, #co_orgs)
   local parts = {}
   for i = 0, n - 1 do
      local slug = co_orgs[(first + i * 7 - 1) % #co_orgs + 1]
      parts[#parts + 1] = string.format('{"slug":"%s","role":"%s"}', slug, roles[math.random(1, #roles)])
      if #co_orgs < 2 then break end
   end
   return ',"organizations":[' .. table.concat(parts, ",") .. ']'
end

function request()
   sent = sent + 1
   local t = id or 0
   local token = tokens[(t + sent) % #tokens + 1]
   local day = math.random(0, 727)
   local year = 2027 + math.floor(day / 364)
   local month = math.floor((day % 364) / 28) % 12 + 1
   local dom = day % 28 + 1
   local date = string.format("%d-%02d-%02d", year, month, dom)
   local when
   if sent % 5 == 0 then
      when = string.format('"allDay":true,"start":"%s","end":"%s"', date, date)
   else
      local hour = 9 + math.random(0, 11)
      when = string.format('"allDay":false,"start":"%sT%02d:00:00","end":"%sT%02d:30:00"', date, hour, date, hour + 1)
   end
   local where
   if #places > 0 and sent % 7 ~= 0 then
      where = string.format('"place":"%s"', places[math.random(1, #places)])
   else
      where = '"onlineUrl":"https://meet.example.org/' .. t .. '-' .. sent .. '"'
   end
   local topic = topics[math.random(1, #topics)]
   local body = string.format(
      '{"title":"Writes %s %s %s t%d n%d","kind":"%s",%s,"timeZone":"%s",%s%s,' ..
      '"description":"Created by tests/load/writes.sh, request %d of thread %d.","tags":["load-test","%s"]}',
      os.getenv("RUN_ID") or "run", topic, kinds[sent % #kinds + 1], t, sent, kinds[sent % #kinds + 1], when,
      zones[sent % #zones + 1], where, co_organizers(), sent, t, topic)
   local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
   if keyed then
      headers["Idempotency-Key"] = string.format("%s-%d-%d", os.getenv("RUN_ID") or "run", t, sent)
   end
   return wrk.format("POST", "/api/events", headers, body)
end

local shown = 0
function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   -- The first few refusals of each thread, so that a bad body shows as more than a count.
   if status >= 300 and shown < 3 then
      shown = shown + 1
      io.stderr:write("ANSWER ", status, " ", body or "", "\n")
   end
end

function done(summary, latency, requests)
   io.write(summary_line(summary, latency), "\n")
   local ms = function(us) return us / 1000 end
   io.write(string.format("PERCENTILES %.2f %.2f %.2f %.2f\n", ms(latency:percentile(50)), ms(latency:percentile(90)),
      ms(latency:percentile(99)), ms(latency:percentile(99.9))))
   local totals = {}
   for _, thread in ipairs(threads) do
      for code, n in pairs(thread:get("statuses")) do totals[code] = (totals[code] or 0) + n end
   end
   local parts = {}
   for code, n in pairs(totals) do parts[#parts + 1] = code .. ":" .. n end
   table.sort(parts)
   io.write("STATUSES ", table.concat(parts, " "), "\n")
end
