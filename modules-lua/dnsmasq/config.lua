-- config: dnsmasq's DNS side: the interfaces it serves, the local domain, upstream servers, local host names and the
-- usual switches, each changed where it stands in /etc/dnsmasq.conf. Saves are checked with dnsmasq --test.
local cfe = require("cfe")
local dnsmasqconf = require("dnsmasqconf")
local dnsmasqvalid = require("dnsmasqvalid")

local M = {}

-- The switches (bare options) the form offers, with what each does.
local FLAGS = {
  { "domain-needed", "Never forward names without a dot" },
  { "bogus-priv", "Never forward reverse lookups of private addresses" },
  { "no-resolv", "Ignore /etc/resolv.conf (use only the servers below)" },
  { "expand-hosts", "Add the local domain to names from /etc/hosts" },
}

local function field_name(option) return (option:gsub("%-", "_")) end

local function edit_form(conf, tag, err)
  local value = {
    interface = cfe.list{ label = "Interfaces served (interface)", seq = 1,
      value = conf and conf:values("interface") or {},
      descr = "One per line (eth0, br-lan). Empty: every interface." },
    domain = cfe.text{ label = "Local domain (domain)", seq = 2, value = conf and conf:get("domain") or "",
      descr = "Names of DHCP clients get this domain, for example lan." },
    server = cfe.list{ label = "Upstream DNS servers (server)", seq = 3, value = conf and conf:values("server") or {},
      descr = "One per line: 9.9.9.9, 1.1.1.1#53, /example.org/10.0.0.1 for one domain, /local/ to answer locally." },
    host_record = cfe.list{ label = "Local host names (host-record)", seq = 4,
      value = conf and conf:values("host-record") or {},
      descr = "One per line: the name, then its address (nas.lan,192.168.1.5)." },
    cache_size = cfe.integer{ label = "Cache size (cache-size)", seq = 5, min = 0, max = 10000,
      value = conf and math.tointeger(tonumber(conf:get("cache-size") or "")) or (conf and conf:get("cache-size")) or "",
      descr = "Names kept in the cache; empty uses dnsmasq's default (150)." },
    tag = cfe.tag(tag),
  }
  for k, flag in ipairs(FLAGS) do
    value[field_name(flag[1])] = cfe.boolean{ label = flag[2] .. " (" .. flag[1] .. ")", seq = 5 + k,
      value = conf ~= nil and conf:has(flag[1]) }
  end
  return cfe.form{
    label = "DNS", option = { "Save" }, errtxt = err, value = value,
    descr = "Each setting is changed where it stands in " .. dnsmasqconf.PATH .. "; comments and other options stay. "
      .. "Saving checks the new file with dnsmasq --test; restart dnsmasq on the status page to use it.",
  }
end

local LISTS = { interface = dnsmasqvalid.interface, server = dnsmasqvalid.server,
  ["host-record"] = dnsmasqvalid.host_record }

local function apply(conf, fields)
  local errors = {}
  for option, check in pairs(LISTS) do
    errors[field_name(option)] = dnsmasqvalid.list(fields[field_name(option)].value, conf:values(option), check)
  end
  local domain = fields.domain.value or ""
  if domain ~= "" and domain ~= conf:get("domain") then errors.domain = dnsmasqvalid.domain(domain) end
  if next(errors) then return errors end

  for option in pairs(LISTS) do conf:set_all(option, fields[field_name(option)].value) end
  -- Only a changed domain is written: further domain= lines (a domain per address range) stay as they are.
  if domain ~= (conf:get("domain") or "") then conf:set("domain", domain ~= "" and domain or nil) end
  local size = fields.cache_size.value
  if size == "" or size == nil then
    conf:set("cache-size", nil)
  elseif tostring(size) ~= conf:get("cache-size") then
    conf:set("cache-size", tostring(size))
  end
  for _, flag in ipairs(FLAGS) do conf:set_flag(flag[1], fields[field_name(flag[1])].value) end
end

function M.edit(ctx, input)
  return dnsmasqconf.edit(input, edit_form, apply)
end

return M
