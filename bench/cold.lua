-- Each request asks for a product that no request of this run asked for before (a cache miss),
-- walking ids upward from 1001 (or the second script argument); thread t of n takes ids 1001 + t, 1001 + t + n, ...
-- thread_id and thread_count are globals: setup() sets thread_id in each thread's own state, and a
-- local of the same name would shadow it (every thread would then ask for the same ids).
first = 1001
counter = 0
thread_id = 0
thread_count = 1
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_count = tonumber(args[1] or "2")
  first = tonumber(args[2] or "1001")
end

function request()
  local id = first + counter * thread_count + thread_id
  counter = counter + 1
  return wrk.format("GET", "/api/products/" .. id)
end
