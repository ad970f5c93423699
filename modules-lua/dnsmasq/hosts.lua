-- hosts: static DHCP leases (dhcp-host=MAC,name,address): the list, and one lease added, changed or removed by its
-- MAC. Other fields of a dhcp-host line (tags, lease time, client ids) stay where they are.
local cfe = require("cfe")
local valid = require("valid")
local dnsmasqconf = require("dnsmasqconf")
local dnsmasqvalid = require("dnsmasqvalid")

local M = {}

-- One dhcp-host value split by meaning: the positions of its MAC, name and address among its fields.
local function parse_host(value)
  local host = { fields = dnsmasqvalid.fields(value) }
  for k, field in ipairs(host.fields) do
    if valid.is_mac(field) or field:match("^%x%x:[%x*:]+$") then
      host.mac_at = host.mac_at or k
    elseif valid.is_ipv4(field) or field:match("^%[.*%]$") then
      host.address_at = host.address_at or k
    elseif field:find(":", 1, true) or field == "ignore" or dnsmasqvalid.is_lease_time(field) then
      -- tags, client ids, lease times: kept as they are
    elseif valid.is_hostname(field) or field:match("^[%w_%-]+$") then
      host.name_at = host.name_at or k
    end
  end
  host.mac = host.mac_at and host.fields[host.mac_at]:lower() or ""
  host.name = host.name_at and host.fields[host.name_at] or ""
  host.address = host.address_at and host.fields[host.address_at] or ""
  return host
end

local function hosts(conf)
  local list = {}
  for _, entry in ipairs(conf and conf:entries("dhcp-host") or {}) do
    local host = parse_host(entry.value or "")
    host.index, host.value = entry.index, entry.value or ""
    list[#list + 1] = host
  end
  return list
end

local function find(list, mac)
  for _, host in ipairs(list) do
    if mac ~= "" and host.mac == mac:lower() then return host end
  end
end

local function edit_form(conf, tag, err, chosen)
  local rows = {}
  for _, host in ipairs(hosts(conf)) do
    rows[#rows + 1] = { mac = host.mac, ["mac@href"] = "/dnsmasq/hosts/edit?mac=" .. host.mac, name = host.name,
      address = host.address, line = host.value }
  end
  local host = conf and chosen.mac and find(hosts(conf), chosen.mac)
  return cfe.form{
    label = "Static leases", option = { "Save", { value = "Remove", confirm = "Remove the static lease of "
      .. "this MAC? The host then gets an address from the pool." } }, errtxt = err,
    descr = "Save adds the lease of that MAC or changes it; Remove deletes it. Click a MAC to edit its lease. "
      .. "Saving checks the new " .. dnsmasqconf.PATH .. " with dnsmasq --test.",
    value = {
      hosts = cfe.structure{ label = "Static leases (dhcp-host)", value = rows, seq = 1,
        columns = { "mac", "name", "address", "line" } },
      mac = cfe.text{ label = "MAC address", seq = 2, value = host and host.mac or chosen.mac or "",
        descr = "For example 00:11:22:33:44:55." },
      name = cfe.text{ label = "Host name", seq = 3, value = host and host.name or chosen.name or "",
        descr = "Optional: the name the client gets (and the DNS answers)." },
      address = cfe.text{ label = "IPv4 address", seq = 4, value = host and host.address or chosen.address or "",
        descr = "The address this client always gets." },
      tag = cfe.tag(tag),
    },
  }
end

-- The dhcp-host value for the form's lease, keeping the other fields of an existing line in place.
local function host_value(existing, mac, name, address)
  local list = existing and { table.unpack(existing.fields) } or {}
  local function put(at, value)
    if at and value ~= "" then list[at] = value elseif at then list[at] = false else list[#list + 1] = value ~= "" and value or false end
  end
  put(existing and existing.mac_at, mac)
  put(existing and existing.name_at, name)
  put(existing and existing.address_at, address)
  local kept = {}
  for _, field in ipairs(list) do if field then kept[#kept + 1] = field end end
  return table.concat(kept, ",")
end

function M.edit(ctx, input)
  local chosen = { mac = cfe.query(input, "mac"), name = cfe.query(input, "name"), address = cfe.query(input, "address") }
  local form, conf = cfe.begin_edit(dnsmasqconf.read, edit_form, input, chosen)
  if not conf then return form end
  local fields = form.value
  local mac = (fields.mac.value or ""):lower():gsub("%-", ":")
  if not valid.is_mac(mac) then return cfe.fail(form, { mac = "Enter a MAC address such as 00:11:22:33:44:55." }) end
  local list = hosts(conf)
  local existing = find(list, mac)

  if input.submit == "Remove" then
    if not existing then return cfe.fail(form, { mac = "There is no static lease for " .. mac .. "." }) end
    conf:remove_at(existing.index)
  else
    local name, address = fields.name.value or "", fields.address.value or ""
    local errors = {}
    if name ~= "" and not valid.hostname(name) then
      errors.name = select(2, valid.hostname(name))
    end
    if not valid.is_ipv4(address) then errors.address = "Enter an IPv4 address such as 192.168.1.20." end
    for _, other in ipairs(list) do
      if other ~= existing and address ~= "" and other.address == address then
        errors.address = address .. " is already the static address of " .. (other.mac ~= "" and other.mac or other.value) .. "."
      elseif other ~= existing and name ~= "" and other.name:lower() == name:lower() then
        errors.name = name .. " is already the name of " .. (other.mac ~= "" and other.mac or other.value) .. "."
      end
    end
    if next(errors) then return cfe.fail(form, errors) end
    local value = host_value(existing, mac, name, address)
    if existing then conf:replace_at(existing.index, value) else conf:add("dhcp-host", value, { "dhcp-range" }) end
  end

  local changed, refused = cfe.written(form, dnsmasqconf.write(conf, cfe.expected_tag(form)))
  if refused then return refused end
  local removed = input.submit == "Remove"
  local done = edit_form(conf, fields.tag.value, nil, removed and {} or { mac = mac })
  return cfe.done(done, not changed and "Nothing changed."
    or removed and ("Static lease of " .. mac .. " removed.") or ("Static lease of " .. mac .. " saved."))
end

return M
