-- Each request asks for a product that no request of this run asked for before (a cache miss),
-- walking ids upward from FIRST; threads interleave so ids never repeat.
local first = 1001
local threads = {}
local counter = 0
local thread_id = 0
local thread_count = 1

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_count = tonumber(args[1] or "2")
end

function request()
  local id = first + counter * thread_count + thread_id
  counter = counter + 1
  return wrk.format("GET", "/api/products/" .. id)
end
