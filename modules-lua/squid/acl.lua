-- acl: squid's access control lists (edit: list, add or replace, remove while unused) and the http_access rules
-- that use them (access: in order, first match wins). Every save is checked with squid -k parse first.
local cfe = require("cfe")
local squidconf = require("squidconf")
local valid = require("valid")

local M = {}

local TYPES = { "src", "dst", "dstdomain", "srcdomain", "port", "proto", "method", "time", "proxy_auth", "url_regex",
  "browser" }
local REGEX_TYPES = { url_regex = true, browser = true }
local PROTOCOLS = { HTTP = true, HTTPS = true, FTP = true, GOPHER = true, WAIS = true, URN = true, WHOIS = true,
  CACHE_OBJECT = true, ICP = true, HTCP = true, ICY = true }

local BUILTIN = {}
for _, name in ipairs(squidconf.BUILTIN_ACLS) do BUILTIN[name] = true end

-- An IPv4 or IPv6 address, optionally /prefix (or /netmask for IPv4).
local function is_network(text)
  local address, mask = text:match("^([^/]+)/(.+)$")
  address = address or text
  if squidconf.is_ipv4(address) then
    if not mask then return true end
    local bits = mask:match("^%d%d?$") and tonumber(mask)
    return (bits ~= nil and bits <= 32) or squidconf.is_ipv4(mask)
  end
  if squidconf.is_ipv6(address) then
    if not mask then return true end
    local bits = mask:match("^%d%d?%d?$") and tonumber(mask)
    return bits ~= nil and bits <= 128
  end
  return false
end

local function is_address_spec(text)
  if text == "all" or is_network(text) then return true end
  local low, high, mask = text:match("^([^-/]+)%-([^/]+)(.*)$")
  if not low then return false end
  local both4 = squidconf.is_ipv4(low) and squidconf.is_ipv4(high)
  local both6 = squidconf.is_ipv6(low) and squidconf.is_ipv6(high)
  if not (both4 or both6) then return false end
  return mask == "" or is_network((both4 and "0.0.0.0" or "::") .. mask)
end

local function is_time_spec(text)
  local list = squidconf.words(text)
  if #list < 1 or #list > 2 then return false end
  local days, hours = list[1], list[2]
  if days:match("^%d") then days, hours = nil, days end
  if #list == 2 and not days then return false end
  if days and not days:match("^[SMTWHFAD]+$") then return false end
  if hours then
    local h1, m1, h2, m2 = hours:match("^(%d%d?):(%d%d)%-(%d%d?):(%d%d)$")
    h1, m1, h2, m2 = tonumber(h1), tonumber(m1), tonumber(h2), tonumber(m2)
    if not h1 or h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 ~= 0) then return false end
    if h1 * 60 + m1 >= h2 * 60 + m2 then return false end
  end
  return true
end

local CHECKS = {
  src = { is_address_spec, "an IPv4 or IPv6 address, network (10.0.0.0/8) or range (10.0.0.1-10.0.0.9)" },
  dst = { is_address_spec, "an IPv4 or IPv6 address, network (10.0.0.0/8) or range (10.0.0.1-10.0.0.9)" },
  dstdomain = { function(v) return squidconf.is_hostname((v:gsub("^%.", ""))) end,
    "a domain (example.com, or .example.com for it and its subdomains)" },
  srcdomain = { function(v) return squidconf.is_hostname((v:gsub("^%.", ""))) end,
    "a domain (example.com, or .example.com for it and its subdomains)" },
  port = { valid.is_port_range, "a port (1 to 65535) or a range (1025-65535)" },
  proto = { function(v) return PROTOCOLS[v] == true end, "a protocol such as HTTP, HTTPS or FTP" },
  method = { function(v) return #v <= 32 and v:match("^[A-Z][A-Z0-9_%-]*$") ~= nil end,
    "a request method in capitals such as GET, POST or CONNECT" },
  time = { is_time_spec, "days (SMTWHFA) and/or hours, such as MTWHF 08:00-17:00" },
  proxy_auth = { function(v) return v == "REQUIRED" or v:match("^[%w._@%-]+$") ~= nil end,
    "REQUIRED (any logged-in user) or a user name" },
  url_regex = { function(v) return v:sub(1, 1) ~= "-" end, "a regular expression without spaces, not starting with '-'" },
  browser = { function(v) return v:sub(1, 1) ~= "-" end, "a regular expression without spaces, not starting with '-'" },
}

-- One value of an ACL of this type; nil when it is good. A quoted absolute path names a file of values.
local function check_value(acl_type, value)
  local message
  if acl_type == "time" then message = squidconf.check_args(value) else message = squidconf.check_word(value) end
  if message then return message end
  if value:match('^"/[%w._/%-]+"$') and not value:find("..", 1, true) then return nil end
  local check = CHECKS[acl_type]
  if check and not check[1](value) then return "'" .. value .. "' is not " .. check[2] .. "." end
  return nil
end

local function uses_text(uses)
  local parts = {}
  for _, use in ipairs(uses) do parts[#parts + 1] = use.name .. " " .. squidconf.normal(use.args) .. " (line " .. use.index .. ")" end
  return table.concat(parts, "; ")
end

local function acl_rows(conf)
  local rows = {}
  for _, acl in ipairs(conf and conf:acls() or {}) do
    local used = {}
    for _, use in ipairs(conf:acl_uses(acl.name)) do used[#used + 1] = use.name .. " " .. squidconf.normal(use.args) end
    rows[#rows + 1] = { name = acl.name, ["name@href"] = "/squid/acl/edit?name=" .. acl.name,
      type = acl.type or "", values = (acl.options and (acl.options .. " ") or "") .. table.concat(acl.values, " "),
      used_by = table.concat(used, "; ") }
  end
  return rows
end

local function edit_form(conf, tag, err, chosen)
  local acl = conf and chosen and conf:acl(chosen)
  local options = acl and acl.options and squidconf.words(acl.options) or {}
  local ignore_case = false
  for _, option in ipairs(options) do
    if option == "-i" then ignore_case = true end
  end
  return cfe.form{
    label = "ACLs",
    option = { "Save", { value = "Remove", confirm = "Remove this ACL? Squid refuses a configuration whose "
      .. "rules still name it." } },
    errtxt = err,
    descr = "Save adds the ACL or replaces the one of that name; Remove deletes it unless a rule still uses it. "
      .. "Saving checks the new squid.conf with squid -k parse first.",
    value = {
      acls = cfe.structure{ label = "ACLs in " .. squidconf.PATH, value = acl_rows(conf), seq = 1,
        columns = { "name", "type", "values", "used_by" } },
      name = cfe.text{ label = "Name", value = acl and acl.name or (chosen or ""), seq = 2,
        descr = "Letters, digits, '_', '.' and '-'." },
      type = cfe.select{ label = "Type", value = acl and acl.type or "src", option = TYPES, seq = 3 },
      values = cfe.list{ label = "Values", value = acl and acl.values or {}, seq = 4,
        descr = "One per line: addresses or networks (src, dst), domains (.example.com), ports or ranges, "
          .. "protocols, methods, times (MTWHF 08:00-17:00), user names or REQUIRED, regular expressions." },
      ignore_case = cfe.boolean{ label = "Ignore case (-i)", value = ignore_case, seq = 5,
        descr = "For url_regex and browser." },
      tag = cfe.tag(tag),
    },
  }
end

local function valid_name(name)
  if name == "" then return nil, "Enter a name." end
  if #name > 63 or not name:match("^[%w_.%-]+$") or name:sub(1, 1) == "-" then
    return nil, "A name has 1 to 63 letters, digits, '_', '.' and '-', and does not start with '-'."
  end
  return name
end

function M.edit(ctx, input)
  local chosen = cfe.query(input, "name")
  local form, conf = cfe.begin_edit(squidconf.read, edit_form, input, chosen)
  if not conf then return form end
  local fields = form.value
  local name, message = valid_name(fields.name.value or "")
  if not name then return cfe.fail(form, { name = message }) end
  local existing = conf:acl(name)

  if input.submit == "Remove" then
    if not existing then return cfe.fail(form, { name = "There is no ACL '" .. name .. "' in " .. squidconf.PATH .. "." }) end
    local uses = conf:acl_uses(name)
    if #uses > 0 then
      return cfe.fail(form, { name = "'" .. name .. "' is still used by: " .. uses_text(uses) .. ". Change those first." })
    end
    conf:remove_acl(name)
  else
    -- A built-in name the file already defines (squid 3's configs define manager, localhost and CONNECT) is the
    -- admin's and can be saved; only a new definition of one is refused.
    if BUILTIN[name] and not existing then
      return cfe.fail(form, { name = "'" .. name .. "' is built into squid and cannot be defined." })
    end
    local acl_type = fields.type.value
    -- Values the ACL already holds are kept as squid accepted them (as the access rules are); new ones are checked.
    local current = {}
    if existing and existing.type == acl_type then
      for _, value in ipairs(existing.values) do current[value] = true end
    end
    local values = {}
    for number, value in ipairs(fields.values.value) do
      local problem = not current[value] and check_value(acl_type, value)
      if problem then return cfe.fail(form, { values = "Line " .. number .. ": " .. problem }) end
      values[#values + 1] = acl_type == "time" and squidconf.normal(value) or value
    end
    if #values == 0 then return cfe.fail(form, { values = "Enter at least one value." }) end
    if fields.ignore_case.value and not REGEX_TYPES[acl_type] then
      return cfe.fail(form, { ignore_case = "Only url_regex and browser ACLs ignore case." })
    end
    -- Options other than -i already on the ACL stay; -i follows the box.
    local options = {}
    if existing and existing.type == acl_type and existing.options then
      for _, option in ipairs(squidconf.words(existing.options)) do
        if option ~= "-i" then options[#options + 1] = option end
      end
    end
    if fields.ignore_case.value then table.insert(options, 1, "-i") end
    conf:set_acl(name, acl_type, values, table.concat(options, " "))
  end

  local changed, refused = cfe.written(form, squidconf.write(conf, cfe.expected_tag(form)))
  if refused then return refused end
  local removed = input.submit == "Remove"
  local done = edit_form(conf, fields.tag.value, nil, not removed and name or nil)
  return cfe.done(done, not changed and "Nothing changed."
    or removed and ("ACL " .. name .. " removed.") or ("ACL " .. name .. " saved."))
end

-- The http_access rules in order, as a table: allow or deny, and the ACLs that must all match ("[!]acl ...").
local function access_form(conf, tag, err)
  local rules, names = {}, {}
  for _, rule in ipairs(conf and conf:directives("http_access") or {}) do
    local list = squidconf.tokens(rule.args)
    rules[#rules + 1] = { action = list[1] or "", acls = table.concat(list, " ", 2) }
  end
  for _, acl in ipairs(conf and conf:acls() or {}) do names[#names + 1] = acl.name end
  local includes = conf and conf:includes() or {}
  return cfe.form{
    label = "Access rules (http_access)",
    option = { "Save" },
    errtxt = err,
    descr = "Squid checks the rules from the top and the first rule whose ACLs all match decides (a '!' negates an "
      .. "ACL); when none matches, the opposite of the last rule applies, so end with 'deny all'."
      .. (#includes > 0 and (" Rules in included files (" .. table.concat(includes, ", ")
        .. ") are not listed; squid reads them where the include line stands.") or ""),
    value = {
      rules = cfe.records{ label = "Rules", value = rules, seq = 1,
        descr = "Add, remove and move rules with the buttons; Save writes them in this order.",
        fields = {
          { name = "action", label = "Action", type = "select", option = { "allow", "deny" }, default = "allow" },
          { name = "acls", label = "ACLs", type = "text" },
        } },
      acls = cfe.text{ label = "ACLs", readonly = true, seq = 3,
        value = table.concat(names, ", ") .. (#names > 0 and "; " or "") .. "built in: "
          .. table.concat(squidconf.BUILTIN_ACLS, ", ", 1, 6) },
      tag = cfe.tag(tag),
    },
  }
end

-- Why a rule new to the file cannot stand ("allow" or "deny" and only known ACLs), or nil.
local function check_rule(rule, known)
  local list = squidconf.tokens(rule.action .. " " .. rule.acls)
  if rule.action ~= "allow" and rule.action ~= "deny" then return "action", "A rule starts with allow or deny." end
  if #list < 2 then return "acls", "Name at least one ACL after " .. list[1] .. " (all matches every request)." end
  for k = 2, #list do
    local acl = list[k]:gsub("^!", "")
    if not known[acl] and not BUILTIN[acl] then return "acls", "'" .. acl .. "' is not a defined ACL." end
  end
end

function M.access(ctx, input)
  local form, conf = cfe.begin_edit(squidconf.read, access_form, input)
  if not conf then return form end
  local fields = form.value

  -- Rules already in the file are kept as they are (they may name ACLs of included files); new ones are checked.
  local current, known, rules = {}, {}, {}
  for _, rule in ipairs(conf:directives("http_access")) do current[squidconf.normal(rule.args)] = true end
  for _, acl in ipairs(conf:acls()) do known[acl.name] = true end
  for number, rule in ipairs(fields.rules.value) do
    local line = squidconf.normal(rule.action .. " " .. rule.acls)
    local column, message = nil, squidconf.check_args(line)
    if message then column = "acls" elseif not current[line] then column, message = check_rule(rule, known) end
    if message then cfe.cell_error(fields.rules, number, column, message) end
    rules[number] = line
  end
  if fields.rules.errtxt then return cfe.fail(form) end

  conf:set_all("http_access", rules)
  return cfe.saved(form, "Access rules saved.", squidconf.write(conf, cfe.expected_tag(form)))
end

return M
