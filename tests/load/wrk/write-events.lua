-- Paced writers for feeds-under-writes.sh: POST /api/events at a fixed rate, open-loop-ish.
--
-- Each wrk thread is one writer (WRITE_THREADS = wrk -t) with its own organization token, and sends WRITE_RATE /
-- WRITE_THREADS requests per second on a fixed schedule: before each request, delay() claims the writer's next slot
-- and waits for it. The writer's connections (wrk -c / -t of them) share that schedule, so a slow answer holds back
-- the next write only when all of them are busy. A writer that falls behind sends at once until it has caught up,
-- but never more than one second's worth of backlog (so the achieved rate shows a shortfall instead of a burst).
-- Titles are unique per run, thread and request, so every request creates a new event with its own slug.
--
-- Environment: WRITE_TOKENS (space-separated, one per thread, reused round-robin), WRITE_RATE (creates/s, all
-- writers together), RUN_ID (goes into titles), PLACES (space-separated place slugs; optional), LUA_DIR,
-- WRITE_LOCATIONS (optional: a file that done() fills with the Location of every 201, one a line, so that a script can
-- check that each event the API said it created is in the database).
package.path = (os.getenv("LUA_DIR") or ".") .. "/?.lua;" .. package.path
require "summary"

local ffi = require "ffi"
ffi.cdef [[
   typedef struct { long tv_sec; long tv_usec; } organizer_timeval;
   int gettimeofday(organizer_timeval *tv, void *tz);
]]
local tv = ffi.new("organizer_timeval")
local function now_ms()
   ffi.C.gettimeofday(tv, nil)
   return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local function words(s)
   local t = {}
   for w in string.gmatch(s or "", "%S+") do t[#t + 1] = w end
   return t
end

-- setup() runs in the main Lua state, once per thread, before the threads start.
local threads = {}
local next_id = 0
function setup(thread)
   local tokens = words(os.getenv("WRITE_TOKENS"))
   next_id = next_id + 1
   thread:set("id", next_id)
   thread:set("token", tokens[(next_id - 1) % #tokens + 1])
   threads[#threads + 1] = thread
end

-- The rest runs in each thread's own Lua state.
local kinds = { "rally", "picket", "march", "vigil", "demonstration", "teach-in" }
local places
local interval_ms, next_due
local sent = 0
statuses = {}    -- status code -> count; read back by done() through thread:get
locations = {}   -- the Location of each 201, when WRITE_LOCATIONS is set
local keep_locations = os.getenv("WRITE_LOCATIONS") ~= nil and os.getenv("WRITE_LOCATIONS") ~= ""

function init(args)
   local threads_total = tonumber(os.getenv("WRITE_THREADS") or "1")
   local rate = tonumber(os.getenv("WRITE_RATE") or "43")
   interval_ms = 1000 * threads_total / rate
   places = words(os.getenv("PLACES"))
   -- Stagger the writers over one interval so that they don't all fire in the same millisecond.
   next_due = now_ms() + interval_ms * ((id or 1) - 1) / threads_total
   math.randomseed(os.time() + (id or 0))
end

function delay()
   local now = now_ms()
   if next_due < now - 1000 then next_due = now - 1000 end   -- at most one second of backlog
   local wait = next_due - now
   next_due = next_due + interval_ms
   if wait < 0 then return 0 end
   return math.floor(wait)
end

function request()
   sent = sent + 1
   local day = (sent * 7 + (id or 0)) % 365
   local month = math.floor(day / 28) % 12 + 1
   local dom = day % 28 + 1
   local date = string.format("2027-%02d-%02d", month, dom)
   local place = ""
   if #places > 0 then
      place = string.format(',"place":"%s"', places[(sent + (id or 0)) % #places + 1])
   end
   local body = string.format(
      '{"title":"Load test %s writer %d event %d","kind":"%s","allDay":false,' ..
      '"start":"%sT18:00:00","end":"%sT19:30:00","timeZone":"America/Toronto"%s,' ..
      '"description":"Created by a load script in tests/load/.","tags":["load-test"]}',
      os.getenv("RUN_ID") or "run", id or 0, sent, kinds[sent % #kinds + 1], date, date, place)
   return wrk.format("POST", "/api/events", {
      ["Authorization"] = "Bearer " .. (token or ""),
      ["Content-Type"] = "application/json",
   }, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if keep_locations and status == 201 then
      locations[#locations + 1] = headers["Location"] or headers["location"] or "?"
   end
end

function done(summary, latency, requests)
   io.write(summary_line(summary, latency), "\n")
   local totals = {}
   for _, thread in ipairs(threads) do
      local s = thread:get("statuses")
      for code, n in pairs(s) do totals[code] = (totals[code] or 0) + n end
   end
   local parts = {}
   for code, n in pairs(totals) do parts[#parts + 1] = code .. ":" .. n end
   table.sort(parts)
   io.write("STATUSES ", table.concat(parts, " "), "\n")
   local path = os.getenv("WRITE_LOCATIONS")
   if path ~= nil and path ~= "" then
      local file = assert(io.open(path, "w"))
      for _, thread in ipairs(threads) do
         for _, location in ipairs(thread:get("locations")) do file:write(location, "\n") end
      end
      file:close()
   end
end
