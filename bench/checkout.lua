-- One checkout per two requests, per connection: PUT a cart line in a new session (no cookie, so
-- the server makes one), then POST /api/orders with that session's cookie. Run with as many
-- threads as connections (-t N -c N), so each connection's requests alternate in order.
-- Products 1..1000; their stock is made large before the run, so nearly every checkout sells.
local placed, refused, failed, step, cookie = 0, 0, 0, "cart", nil

function setup(thread)
  thread:set("placed", 0); thread:set("refused", 0); thread:set("failed", 0)
  table.insert(threads, thread)
end
threads = {}

function init(args)
  -- every wrk thread has a Lua state of its own, with the same unseeded random sequence
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  if step == "cart" or cookie == nil then
    step = "cart"
    return wrk.format("PUT", "/api/cart/items/" .. math.random(1, 1000),
      {["Content-Type"] = "application/json"}, '{"quantity":1}')
  end
  return wrk.format("POST", "/api/orders", {["Cookie"] = cookie})
end

function response(status, headers, body)
  if step == "cart" then
    local set = headers["Set-Cookie"]
    cookie = set and set:match("(LARDER_SESSION=[^;]+)") or nil
    step = "order"
    return
  end
  if status == 201 then placed = placed + 1 elseif status == 409 then refused = refused + 1 else failed = failed + 1 end
  wrk.thread:set("placed", placed); wrk.thread:set("refused", refused); wrk.thread:set("failed", failed)
  step = "cart"
end

function done(summary, latency, requests)
  local p, r, f = 0, 0, 0
  for _, t in ipairs(threads) do p = p + t:get("placed"); r = r + t:get("refused"); f = f + t:get("failed") end
  local seconds = summary.duration / 1e6
  io.write(string.format("checkouts: %d placed (%.0f/s), %d refused for stock, %d failed, in %.1f s\n", p, p / seconds, r, f, seconds))
end
