-- leases: the live DHCP leases dnsmasq handed out (its lease file), each with a link that makes it a static lease.
local cfe = require("cfe")
local dnsmasqconf = require("dnsmasqconf")
local timefmt = require("timefmt")

local M = {}

local function url_encode(text)
  return (text:gsub("[^%w.:_%-]", function(c) return string.format("%%%02X", c:byte()) end))
end

function M.view(ctx, input)
  local text, err = acf.fs.read(dnsmasqconf.LEASES)
  local rows = {}
  for _, lease in ipairs(dnsmasqconf.leases(text)) do
    rows[#rows + 1] = {
      address = lease.address, mac = lease.mac, name = lease.name,
      expires = lease.expiry == 0 and "never" or timefmt.utc(lease.expiry),
      static = "make static",
      ["static@href"] = "/dnsmasq/hosts/edit?mac=" .. url_encode(lease.mac) .. "&address=" .. url_encode(lease.address)
        .. (lease.name ~= "" and ("&name=" .. url_encode(lease.name)) or ""),
    }
  end
  return cfe.form{
    label = "DHCP leases",
    errtxt = not text and ("No lease file: " .. tostring(err)) or nil,
    descr = "The leases dnsmasq has handed out (" .. dnsmasqconf.LEASES .. "). 'make static' opens the static lease "
      .. "form filled in with the client's MAC, name and address.",
    value = {
      leases = cfe.structure{ label = "Leases", value = rows, seq = 1,
        columns = { "address", "mac", "name", "expires", "static" } },
    },
  }
end

return M
