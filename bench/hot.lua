-- Hot GETs over a hot set: product ids 1..N (N = first script argument, default 1000), each wrk
-- thread starting at its own offset; run bench/warm.lua first so that every id is cached.
-- An optional second argument K sends X-API-Key "bench-key-<i>", i cycling 1..K, so that the
-- requests count against K clients of the rate limiter instead of one address.
hot = 1000
keys = 0
counter = 0
thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  hot = tonumber(args[1] or "1000")
  keys = tonumber(args[2] or "0")
  counter = thread_id * 7919
end

function request()
  counter = counter + 1
  local path = "/api/products/" .. ((counter - 1) % hot + 1)
  if keys > 0 then
    return wrk.format("GET", path, { ["X-API-Key"] = "bench-key-" .. ((counter - 1) % keys + 1) })
  end
  return wrk.format("GET", path)
end
