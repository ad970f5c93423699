-- dhcp: dnsmasq's DHCP side: address ranges, options handed to clients (router, DNS servers, ...) and whether dnsmasq
-- is the network's only DHCP server. Lines are changed where they stand; saves are checked with dnsmasq --test.
local cfe = require("cfe")
local dnsmasqconf = require("dnsmasqconf")
local dnsmasqvalid = require("dnsmasqvalid")

local M = {}

local function edit_form(conf, tag, err)
  return cfe.form{
    label = "DHCP", option = { "Save" }, errtxt = err,
    descr = "Each setting is changed where it stands in " .. dnsmasqconf.PATH .. ". Static leases are on the Static "
      .. "leases tab. Saving checks the new file with dnsmasq --test; restart dnsmasq to use it.",
    value = {
      dhcp_range = cfe.list{ label = "Address ranges (dhcp-range)", seq = 1,
        value = conf and conf:values("dhcp-range") or {},
        descr = "One per line: first,last[,netmask][,lease time], for example 192.168.1.100,192.168.1.200,12h. "
          .. "No range: no DHCP." },
      dhcp_option = cfe.list{ label = "Options for clients (dhcp-option)", seq = 2,
        value = conf and conf:values("dhcp-option") or {},
        descr = "One per line: option:router,192.168.1.1 or 6,192.168.1.1 (DNS servers); tag:name, first for "
          .. "clients of one range." },
      dhcp_authoritative = cfe.boolean{ label = "The only DHCP server on these networks (dhcp-authoritative)", seq = 3,
        value = conf ~= nil and conf:has("dhcp-authoritative") },
      tag = cfe.tag(tag),
    },
  }
end

local function apply(conf, fields)
  local errors = {
    dhcp_range = dnsmasqvalid.list(fields.dhcp_range.value, conf:values("dhcp-range"), dnsmasqvalid.range),
    dhcp_option = dnsmasqvalid.list(fields.dhcp_option.value, conf:values("dhcp-option"), dnsmasqvalid.option),
  }
  if next(errors) then return errors end
  conf:set_all("dhcp-range", fields.dhcp_range.value, { "interface" })
  conf:set_all("dhcp-option", fields.dhcp_option.value, { "dhcp-range" })
  conf:set_flag("dhcp-authoritative", fields.dhcp_authoritative.value, { "dhcp-range" })
end

function M.edit(ctx, input)
  return dnsmasqconf.edit(input, edit_form, apply)
end

return M
