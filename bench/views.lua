-- POST /api/products/<random 1..1000>/views: one view each, counted write-behind.
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
function request()
  return wrk.format("POST", "/api/products/" .. math.random(1, 1000) .. "/views")
end
