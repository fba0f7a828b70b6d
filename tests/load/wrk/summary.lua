-- Shared by the feeds-under-writes.sh clients: at the end of a wrk run, one machine-readable line on stdout,
--   RESULT <requests> <seconds> <errors> <status errors> <socket errors> <p50 ms> <p99 ms> <max ms> <mean ms> <bytes>
-- errors = HTTP status >= 400 (wrk's "Non-2xx or 3xx responses") + connect/read/write/timeout errors;
-- bytes = everything wrk read, headers included (for MB/s). New fields go at the end, so readers keep working.
-- A client script sets `done = summary_done` (or calls it from its own done).

function summary_line(summary, latency)
   local e = summary.errors
   local sockets = e.connect + e.read + e.write + e.timeout
   local seconds = summary.duration / 1e6
   local ms = function(us) return us / 1000 end
   return string.format("RESULT %d %.3f %d %d %d %.2f %.2f %.2f %.2f %.0f",
      summary.requests, seconds, e.status + sockets, e.status, sockets,
      ms(latency:percentile(50)), ms(latency:percentile(99)), ms(latency.max), ms(latency.mean),
      summary.bytes)
end

function summary_done(summary, latency, requests)
   io.write(summary_line(summary, latency), "\n")
end
