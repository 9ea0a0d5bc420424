-- perfgate.lua - a wrk script whose done() prints the run as JSON for
-- perfgate's "wrk" format:
--
--   wrk -t2 -c16 -d10s --latency -s examples/wrk/perfgate.lua URL
--
-- wrk prints its usual text summary, then one line of JSON; perfgate reads
-- the JSON and ignores the text.  With PERFGATE_WRK_JSON=FILE in the
-- environment the JSON goes to FILE instead (for a config entry's
-- "output").  Latencies are in microseconds, as wrk measures them.
--
-- wrk's Lua API gives the distinct latencies but not their counts, so the
-- per-request distribution is exported as "grid": the latency at the
-- quantiles (i - 0.5) / k, i = 1..k, with k = min(requests, 1000).

local GRID = 1000

function done(summary, latency, requests)
   local e = summary.errors
   local p, grid = {}, {}
   for _, q in ipairs({50, 75, 90, 95, 99, 99.9}) do
      p[#p + 1] = string.format('"%s":%d', tostring(q), latency:percentile(q))
   end
   local k = math.min(summary.requests, GRID)
   for i = 1, k do
      grid[i] = string.format("%d", latency:percentile((i - 0.5) * 100 / k))
   end
   local json = string.format(
      '{"perfgate_wrk":1,"method":"%s","path":"%s",' ..
      '"duration_us":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,' ..
      '"timeout":%d},"latency_us":{"min":%d,"max":%d,"mean":%.3f,' ..
      '"stdev":%.3f,"percentiles":{%s},"grid":[%s]}}',
      wrk.method, (wrk.path:gsub('[%c"\\]', "")), summary.duration,
      summary.requests, summary.bytes, e.connect, e.read, e.write,
      e.status, e.timeout, summary.requests > 0 and latency.min or 0,
      latency.max, latency.mean, latency.stdev, table.concat(p, ","),
      table.concat(grid, ","))
   local path = os.getenv("PERFGATE_WRK_JSON")
   if path then
      local f = assert(io.open(path, "w"))
      f:write(json, "\n")
      f:close()
   else
      io.write(json, "\n")
   end
end
