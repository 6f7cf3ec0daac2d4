-- Load for bench/faults.sh: hot GETs of ids 1..1000, and every Nth request a page of a category.
-- Run with one connection per wrk thread (-tN -cN): each thread then has at most one request in
-- flight, so request() and response() pair up and the script can time every request itself, by
-- the wall clock, and file it under the phase in which it was sent.
--   wrk -t32 -c32 -d<s> -s bench/faults.lua URL -- T0_MS PHASE_MS PHASES PAGE_EVERY OUT_FILE
-- T0_MS: epoch milliseconds at which phase 0 starts (requests sent earlier are not recorded, nor
-- those sent after the last phase); PAGE_EVERY: 0 = hot GETs only, 10 = one request in 10 a page.
-- done() writes one line per recorded request to OUT_FILE:
--   <sent, ms after T0> <latency ms, -1 = never answered> <status, 0 = socket error, -1 = still
--   waiting when wrk stopped> <kind, 1 = hot id, 2 = page>
-- Globals on purpose: setup() sets thread_id in each thread's own state (see cold.lua).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } larder_timespec;
  int clock_gettime(int clock_id, larder_timespec *spec);
]]
local spec = ffi.new("larder_timespec")
local function now_ms()
  ffi.C.clock_gettime(0, spec) -- CLOCK_REALTIME: the shell that injects the faults uses it too
  return tonumber(spec.tv_sec) * 1000 + tonumber(spec.tv_nsec) / 1e6
end

local categories = { "pantry", "dairy", "bakery", "produce", "drinks" }
thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  t0, phase_ms, phases = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  page_every, out_file = tonumber(args[4]), args[5]
  math.randomseed(1 + thread_id * 7919)
  counter, n = 0, 0
  sent, latency, status, kind = {}, {}, {}, {}
  sent_at, sent_kind = nil, nil
end

local function record(at, took, code, what)
  local offset = at - t0
  if offset < 0 or offset >= phase_ms * phases then return end
  n = n + 1
  sent[n], latency[n], status[n], kind[n] = offset, took, code, what
end

function request()
  if sent_at then record(sent_at, -1, 0, sent_kind) end -- the last one was never answered: the connection broke
  counter = counter + 1
  local path
  if page_every > 0 and counter % page_every == 0 then
    sent_kind = 2
    path = "/api/products?category=" .. categories[math.random(#categories)] .. "&page=0&size=20"
  else
    sent_kind = 1
    path = "/api/products/" .. math.random(1000)
  end
  sent_at = now_ms()
  return wrk.format("GET", path)
end

function response(code, headers, body)
  record(sent_at, now_ms() - sent_at, code, sent_kind)
  sent_at = nil
end

function done(summary, latency_stats, requests)
  local out = assert(io.open(threads[1]:get("out_file"), "w"))
  for _, thread in ipairs(threads) do
    local count, s, l, c, k = thread:get("n"), thread:get("sent"), thread:get("latency"), thread:get("status"), thread:get("kind")
    for i = 1, count do out:write(string.format("%.1f %.2f %d %d\n", s[i], l[i], c[i], k[i])) end
    local pending = thread:get("sent_at")
    if pending then
      local offset = pending - thread:get("t0")
      if offset >= 0 and offset < thread:get("phase_ms") * thread:get("phases") then
        out:write(string.format("%.1f -1 -1 %d\n", offset, thread:get("sent_kind")))
      end
    end
  end
  out:close()
end
