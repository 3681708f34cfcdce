-- mixed.lua — the wrk script of tests/load/run.sh: a bounded mix of authenticated reads and writes against a demo
-- database, with a Bearer API token (no cookie, so no CSRF header), unique keys per write, and per-status counting.
--
--   wrk -t2 -c64 -d60s --latency -s tests/load/mixed.lua http://127.0.0.1:PORT -- TOKEN NONCE TASK_IDS DEPT_ID YEAR [MAX_ID]
--
-- TASK_IDS: comma-separated work items (run.sh creates them) that take the progress reports in turn, so that no item
-- collects an unbounded history (a work item's answer carries all its reports).
-- MAX_ID: about the highest ticket id (the preloaded tickets): two of the three ticket-list reads page from a random
-- place (?cursor=), as a user paging through the tickets does — they touch the whole table, not its first page.
-- Mix per 20 requests: 6 GET /api/v1/me, 2 plans, 3 tickets list, 2 achievement, 1 KPIs (a worker-pool route),
-- 1 tasks list, 4 POST /api/v1/tickets (unique external_id), 1 POST /api/v1/tasks/{id}/progress.
-- done() prints one line that run.sh parses:
--   nengli-load: requests=N responses=N s2xx=N s3xx=N s4xx=N s5xx=N writes=N
-- wrk's Lua runs one interpreter per thread; setup() keeps the thread objects so done() can add their counters.

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

local token, nonce, dept_id, year
local task_ids = {}
local seq, nprogress, max_id = 0, 0, 0
local mix = {}
s2xx, s3xx, s4xx, s5xx, writes, responses, first_bad = 0, 0, 0, 0, 0, 0, ""

function init(args)
   token = args[1] or error("mixed.lua: pass the API token after --")
   nonce = args[2] or tostring(os.time())
   for id in string.gmatch(args[3] or "16", "%d+") do table.insert(task_ids, id) end
   dept_id = args[4] or "2"
   year = args[5] or os.date("!%Y")
   max_id = tonumber(args[6] or "0") or 0
   math.randomseed(os.time() + 7919 * (tid or 1))
   local r = {
      "/api/v1/me", "/api/v1/me", "/api/v1/me", "/api/v1/me", "/api/v1/me", "/api/v1/me",
      "/api/v1/plans?year=" .. year, "/api/v1/plans",
      "/api/v1/tickets?limit=50", "R:tickets", "R:tickets",
      "/api/v1/achievement?year=" .. year, "/api/v1/achievement?year=" .. year,
      "/api/v1/kpis?from=" .. year .. "-01-01&to=" .. year .. "-12-31",
      "/api/v1/tasks?year=" .. year,
      "W:ticket", "W:ticket", "W:ticket", "W:ticket", "W:progress",
   }
   -- interleave, so that each connection sees every kind of request
   local order = { 1, 16, 7, 9, 2, 12, 17, 3, 14, 10, 4, 18, 8, 5, 13, 19, 11, 6, 15, 20 }
   for i, k in ipairs(order) do mix[i] = r[k] end
end

local headers_get, headers_post
function request()
   seq = seq + 1
   if not headers_get then
      headers_get = { ["Authorization"] = "Bearer " .. token }
      headers_post = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
   end
   local what = mix[(seq - 1) % #mix + 1]
   if what == "W:ticket" then
      local key = string.format("load-%s-%d-%d", nonce, tid, seq)
      local prio = ({ "P1", "P2", "P3", "P4" })[seq % 4 + 1]
      local body = string.format('{"external_id":"%s","source":"load","title":"负载测试工单 %s",' ..
         '"channel":"phone","category":"load test","priority":"%s","department_id":%s,' ..
         '"opened_at":"%s-03-%02dT%02d:%02d:00Z"}', key, key, prio, dept_id, year, seq % 28 + 1, seq % 24, seq % 60)
      return wrk.format("POST", "/api/v1/tickets", headers_post, body)
   elseif what == "R:tickets" then
      if max_id <= 200 then return wrk.format("GET", "/api/v1/tickets?limit=100", headers_get) end
      return wrk.format("GET", "/api/v1/tickets?limit=100&cursor=" .. math.random(1, max_id - 100), headers_get)
   elseif what == "W:progress" then
      nprogress = nprogress + 1
      local task_id = task_ids[(nprogress + tid * 17) % #task_ids + 1]
      local body = string.format('{"percent":%d,"status":"in_progress","note":"load %s-%d-%d"}',
         seq % 99 + 1, nonce, tid, seq)
      return wrk.format("POST", "/api/v1/tasks/" .. task_id .. "/progress", headers_post, body)
   end
   return wrk.format("GET", what, headers_get)
end

function response(status, headers, body)
   responses = responses + 1
   if status >= 500 then
      s5xx = s5xx + 1
   elseif status >= 400 then
      s4xx = s4xx + 1
   elseif status >= 300 then
      s3xx = s3xx + 1
   else
      s2xx = s2xx + 1
   end
   if status == 201 then writes = writes + 1 end
   if status >= 400 and first_bad == "" then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
   end
end

function done(summary, latency, requests)
   local t = { responses = 0, s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, writes = 0 }
   local bad = ""
   for _, th in ipairs(threads) do
      for k, _ in pairs(t) do t[k] = t[k] + (tonumber(th:get(k)) or 0) end
      local fb = th:get("first_bad")
      if bad == "" and fb and fb ~= "" then bad = fb end
   end
   io.write(string.format("nengli-load: requests=%d responses=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d writes=%d\n",
      summary.requests, t.responses, t.s2xx, t.s3xx, t.s4xx, t.s5xx, t.writes))
   io.write(string.format("nengli-load: p50_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.1f\n",
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      summary.requests / (summary.duration / 1e6)))
   if bad ~= "" then io.write("nengli-load: first error: " .. bad:gsub("\n", " ") .. "\n") end
end
