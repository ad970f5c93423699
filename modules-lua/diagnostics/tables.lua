-- tables: the kernel's neighbour (ARP) and routing tables, read from /proc/net as they are now (no command runs).
local cfe = require("cfe")
local procnet = require("procnet")

local M = {}

function M.neighbours(ctx, input)
  local text, err = acf.fs.read(procnet.ARP)
  local v6, err6 = acf.exec({ "ip", "-6", "neigh", "show" }, { timeout = 10 })
  local columns = { "address", "mac", "state", "device" }
  return cfe.form{
    label = "Neighbours",
    descr = "The kernel's neighbour tables: IPv4 (ARP, " .. procnet.ARP .. ") and IPv6 (ip -6 neigh): which "
      .. "address answered from which MAC on which interface.",
    value = {
      neighbours = cfe.structure{ label = "IPv4 neighbours", seq = 1, value = procnet.neighbours(text), columns = columns,
        errtxt = not text and ("Cannot read " .. procnet.ARP .. ": " .. tostring(err)) or nil },
      neighbours6 = cfe.structure{ label = "IPv6 neighbours", seq = 2, columns = columns,
        value = v6 and v6.status == 0 and procnet.neighbours6(v6.stdout) or {},
        errtxt = not v6 and ("ip -6 neigh failed: " .. tostring(err6))
          or v6.status ~= 0 and ("ip -6 neigh failed: " .. v6.stderr) or nil },
    },
  }
end

function M.routes(ctx, input)
  local v4, err4 = acf.fs.read(procnet.ROUTE)
  local v6, err6 = acf.fs.read(procnet.ROUTE6)
  local columns = { "destination", "gateway", "flags", "metric", "device" }
  return cfe.form{
    label = "Routes",
    descr = "The kernel's routing tables as they are now (" .. procnet.ROUTE .. ", " .. procnet.ROUTE6 .. "). "
      .. "Flags: U up, G via a gateway, H host route, D and M made by redirects, ! reject.",
    value = {
      ipv4 = cfe.structure{ label = "IPv4 routes", seq = 1, value = procnet.routes(v4), columns = columns,
        errtxt = not v4 and ("Cannot read " .. procnet.ROUTE .. ": " .. tostring(err4)) or nil },
      ipv6 = cfe.structure{ label = "IPv6 routes", seq = 2, value = procnet.routes6(v6), columns = columns,
        errtxt = not v6 and ("Cannot read " .. procnet.ROUTE6 .. ": " .. tostring(err6)) or nil },
    },
  }
end

return M
