-- tables: the kernel's neighbour (ARP) and routing tables, read from /proc/net as they are now (no command runs).
local cfe = require("cfe")
local procnet = require("procnet")

local M = {}

function M.neighbours(ctx, input)
  local text, err = acf.fs.read(procnet.ARP)
  return cfe.form{
    label = "Neighbours", errtxt = not text and ("Cannot read " .. procnet.ARP .. ": " .. tostring(err)) or nil,
    descr = "The IPv4 neighbour (ARP) table of the kernel (" .. procnet.ARP .. "): which address answered from "
      .. "which MAC on which interface.",
    value = {
      neighbours = cfe.structure{ label = "IPv4 neighbours", seq = 1, value = procnet.neighbours(text),
        columns = { "address", "mac", "state", "device" } },
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
