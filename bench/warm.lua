-- Cycles through product ids 1..1000 so that each is loaded into the cache once.
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", "/api/products/" .. ((counter - 1) % 1000 + 1))
end
