-- config: squid's main settings (listening ports, visible host name, memory cache, disk cache, largest object),
-- each changed where it stands in squid.conf; every save is checked with squid -k parse first.
local cfe = require("cfe")
local squidconf = require("squidconf")
local valid = require("valid")

local M = {}

local CACHE_TYPES = { { value = "", label = "None (memory only)" }, "ufs", "aufs", "diskd", "rock" }
local UNITS = { bytes = "bytes", kb = "KB", mb = "MB", gb = "GB" }

-- One http_port line: [address:]port and its options (intercept, tproxy, name=..., ...). nil when it is good.
local function check_port_line(line)
  local message = squidconf.check_args(line)
  if message then return message end
  local list = squidconf.tokens(line)
  local spec = list[1] or ""
  if not valid.port(spec) then
    local host, port = spec:match("^%[(.+)%]:(%d+)$")
    if host then
      if not squidconf.is_ipv6(host) then return "'" .. host .. "' is not an IPv6 address." end
    else
      host, port = spec:match("^([^:]+):(%d+)$")
      if not host then return "'" .. spec .. "' is not a port or address:port (3128, 192.168.1.1:3128)." end
      if not (squidconf.is_ipv4(host) or squidconf.is_hostname(host)) then
        return "'" .. host .. "' is not an IPv4 address or a host name."
      end
    end
    if not valid.port(port) then return "'" .. port .. "' is not a port (1 to 65535)." end
  end
  for k = 2, #list do
    if not (list[k]:match("^%a[%w_%-]*$") or list[k]:match("^%a[%w_%-]*=%S+$")) then
      return "'" .. list[k] .. "' is not a port option (a word, or name=value)."
    end
  end
  return nil
end

-- "256 MB": a number and one of squid's byte units. The value as squid wants it, or nil and why not.
local function size(text)
  local message = squidconf.check_args(text)
  if message then return nil, message end
  local number, unit = text:match("^%s*(%d+%.?%d*)%s*(%a*)%s*$")
  if not number then return nil, "Enter a number and a unit, for example 256 MB." end
  if unit == "" then return nil, "Add a unit: bytes, KB, MB or GB." end
  if not UNITS[unit:lower()] then return nil, "'" .. unit .. "' is not a unit squid knows: bytes, KB, MB or GB." end
  return number .. " " .. UNITS[unit:lower()]
end

-- A cache_dir line split into the form's fields; words after them (options such as max-size=) are kept.
local function cache_dir_fields(args)
  local list = squidconf.words(args or "")
  local fields = { type = list[1] or "", path = list[2] or "", size = list[3] or "", l1 = "", l2 = "", rest = {} }
  local from = 4
  if fields.type ~= "rock" then
    fields.l1, fields.l2, from = list[4] or "", list[5] or "", 6
  end
  for k = from, #list do fields.rest[#fields.rest + 1] = list[k] end
  return fields
end

local function number_or_text(text)
  return math.tointeger(tonumber(text)) or text
end

local function edit_form(conf, tag, err)
  local ports = {}
  for _, port in ipairs(conf and conf:directives("http_port") or {}) do ports[#ports + 1] = squidconf.normal(port.args) end
  local dir = cache_dir_fields(conf and conf:get("cache_dir"))
  local function value(name)
    return conf and conf:get(name) and squidconf.normal(conf:get(name)) or ""
  end
  return cfe.form{
    label = "Squid settings",
    option = { "Save" },
    errtxt = err,
    descr = "Each setting is changed where it stands in " .. squidconf.PATH .. "; comments and other settings stay as "
      .. "they are. Saving checks the new file with squid -k parse first; run 'Apply configuration' on the status "
      .. "page afterwards.",
    value = {
      http_port = cfe.list{ label = "Listening ports (http_port)", value = ports, seq = 1,
        descr = "One per line: a port (3128) or address:port (192.168.1.1:3128, [::1]:3128), then options such as "
          .. "intercept or tproxy." },
      visible_hostname = cfe.text{ label = "Visible host name", value = value("visible_hostname"), seq = 2,
        descr = "The name squid shows in error pages and Via headers; empty uses the system's host name." },
      cache_mem = cfe.text{ label = "Memory cache (cache_mem)", value = value("cache_mem"), seq = 3,
        descr = "For example 256 MB; empty uses squid's default." },
      maximum_object_size = cfe.text{ label = "Largest cached object (maximum_object_size)",
        value = value("maximum_object_size"), seq = 4, descr = "For example 4 MB; empty uses squid's default." },
      cache_dir = cfe.group{ label = "Disk cache (cache_dir)", seq = 5,
        descr = "The first cache_dir line; options after its numbers are kept. None removes it.",
        value = {
          type = cfe.select{ label = "Type", value = dir.type, option = CACHE_TYPES, seq = 1 },
          path = cfe.text{ label = "Directory", value = dir.path, seq = 2, descr = "For example /var/cache/squid." },
          size = cfe.integer{ label = "Size (MB)", value = number_or_text(dir.size), min = 1, seq = 3 },
          l1 = cfe.integer{ label = "First-level directories (L1)", value = number_or_text(dir.l1), min = 1,
            max = 65535, seq = 4, descr = "Not used by rock. Usually 16." },
          l2 = cfe.integer{ label = "Second-level directories (L2)", value = number_or_text(dir.l2), min = 1,
            max = 65535, seq = 5, descr = "Not used by rock. Usually 256." },
        } },
      tag = cfe.tag(tag),
    },
  }
end

-- The cache_dir arguments the form asks for, or nil and the field errors.
local function cache_dir_args(group, current)
  local fields = group.value
  local kind = fields.type.value or ""
  if kind == "" then return false end
  local errors = {}
  local path = fields.path.value or ""
  local message = squidconf.check_word(path)
  if message then
    errors["cache_dir.path"] = message
  elseif not path:match("^/[%w._/%-]*$") or path:find("/../", 1, true) or path:match("/%.%.$") then
    errors["cache_dir.path"] = "Enter an absolute path of letters, digits, '.', '_', '-' and '/'."
  end
  if fields.size.value == "" then errors["cache_dir.size"] = "Enter the size in MB." end
  if kind ~= "rock" then
    if fields.l1.value == "" then errors["cache_dir.l1"] = "Enter the number of first-level directories." end
    if fields.l2.value == "" then errors["cache_dir.l2"] = "Enter the number of second-level directories." end
  end
  if next(errors) then return nil, errors end
  local list = { kind, path, tostring(fields.size.value) }
  if kind ~= "rock" then
    list[#list + 1] = tostring(fields.l1.value)
    list[#list + 1] = tostring(fields.l2.value)
  end
  for _, word in ipairs(current.rest) do list[#list + 1] = word end
  return table.concat(list, " ")
end

function M.edit(ctx, input)
  local form, conf = cfe.begin_edit(squidconf.read, edit_form, input)
  if not conf then return form end
  local fields = form.value
  local errors = {}

  -- Values already in the file are kept as they are; new ones are checked.
  local current_ports = {}
  for _, port in ipairs(conf:directives("http_port")) do current_ports[squidconf.normal(port.args)] = true end
  local ports = {}
  for number, line in ipairs(fields.http_port.value) do
    local message = squidconf.check_args(line)
    if not message and not current_ports[squidconf.normal(line)] then message = check_port_line(line) end
    if message then
      errors.http_port = "Line " .. number .. ": " .. message
      break
    end
    ports[#ports + 1] = squidconf.normal(line)
  end
  if not errors.http_port and #ports == 0 then errors.http_port = "Enter at least one port." end

  local function unchanged(name, text)
    return conf:get(name) and squidconf.normal(conf:get(name)) == squidconf.normal(text)
  end
  local hostname = fields.visible_hostname.value or ""
  if hostname ~= "" and not unchanged("visible_hostname", hostname) then
    local message = squidconf.check_word(hostname)
    if not message and not squidconf.is_hostname(hostname) then
      message = "Enter a host name: letters, digits, '-' and '_' in labels separated by dots."
    end
    errors.visible_hostname = message
  end
  local sizes = {}
  for _, name in ipairs{ "cache_mem", "maximum_object_size" } do
    local text = fields[name].value or ""
    if text == "" then
      sizes[name] = nil
    elseif unchanged(name, text) then
      sizes[name] = conf:get(name)
    else
      local value, message = size(text)
      sizes[name] = value
      errors[name] = message
    end
  end
  local current_dir = cache_dir_fields(conf:get("cache_dir"))
  local dir_args, dir_errors = cache_dir_args(fields.cache_dir, current_dir)
  for name, message in pairs(dir_errors or {}) do errors[name] = message end
  if next(errors) then return cfe.fail(form, errors) end

  conf:set_all("http_port", ports)
  conf:set("visible_hostname", hostname ~= "" and hostname or nil)
  conf:set("cache_mem", sizes.cache_mem)
  conf:set("maximum_object_size", sizes.maximum_object_size)
  conf:set("cache_dir", dir_args or nil)

  return cfe.saved(form, "Settings saved. Apply the configuration on the status page to use them.",
    squidconf.write(conf, cfe.expected_tag(form)))
end

return M
