-- POST /api/products/<random 1..1000>/views: one view each, counted write-behind.
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
local hot = os.getenv("VIEWS_HOT") == "1" -- every view for product 1: one hot row
function request()
  return wrk.format("POST", "/api/products/" .. (hot and 1 or math.random(1, 1000)) .. "/views")
end
