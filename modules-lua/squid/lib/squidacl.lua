-- squidacl: the ACLs of squid.conf, as methods of squidconf's model (squidconf installs them): every ACL with its
-- lines merged, one ACL made to hold exactly a list of values, an ACL removed, and the directives that use an ACL.
-- How an ACL's lines change is described at the top of squidconf.lua.
local linelist = require("lines")
local squidplan = require("squidplan")

local M = {}

local Acl = {}
M.methods = Acl

-- ACLs squid defines itself (to_linklocal from squid 6 on; the ssl:: ones when built with OpenSSL).
M.BUILTIN_ACLS = { "all", "manager", "localhost", "to_localhost", "to_linklocal", "CONNECT",
  "ssl::certHasExpired", "ssl::certNotYetValid", "ssl::certDomainMismatch", "ssl::certUntrusted",
  "ssl::certSelfSigned" }

-- Directives that take ACL names, besides every *_access one.
local TAKES_ACLS = {}
for _, name in ipairs{ "cache", "send_hit", "store_miss", "always_direct", "never_direct", "deny_info",
  "tcp_outgoing_address", "tcp_outgoing_tos", "tcp_outgoing_dscp", "tcp_outgoing_mark", "clientside_tos",
  "clientside_mark", "reply_body_max_size", "ssl_bump", "sslproxy_cert_error", "sslproxy_cert_sign",
  "sslproxy_cert_adapt", "on_unsupported_protocol", "access_log", "note", "request_header_add", "reply_header_add",
  "spoof_client_ip", "http_upgrade_request_protocols", "cache_peer_access", "delay_access" } do
  TAKES_ACLS[name] = true
end

-- The words squid's word-reading directives see: up to a word that starts with '#'.
function M.tokens(text)
  local list = {}
  for word in (text or ""):gmatch("%S+") do
    if word:sub(1, 1) == "#" then break end
    list[#list + 1] = word
  end
  return list
end
local tokens = M.tokens

local function normal(text)
  return table.concat(linelist.words(text), " ")
end

-- One `acl` line: name, type, options (leading words starting with '-' or '+', as squid reads flags) and values
-- (a time ACL's values are its specifications: day letters with the hours that follow them).
local function parse_acl(entry)
  local list = tokens(entry.args)
  local acl = { entry = entry, name = list[1], type = list[2], options = {}, values = {} }
  local k = 3
  while list[k] and list[k]:match("^[-+]") do
    acl.options[#acl.options + 1] = list[k]
    k = k + 1
    if list[k - 1] == "--" then break end
  end
  if acl.type == "time" then
    local days = {}
    for n = k, #list do
      days[#days + 1] = list[n]
      if list[n]:match("^%d") then
        acl.values[#acl.values + 1] = table.concat(days, " ")
        days = {}
      end
    end
    if #days > 0 then acl.values[#acl.values + 1] = table.concat(days, " ") end
  else
    for n = k, #list do acl.values[#acl.values + 1] = list[n] end
  end
  acl.options_text = #acl.options > 0 and table.concat(acl.options, " ") or nil
  return acl
end

local function acl_lines(self, name)
  local list = {}
  for _, entry in ipairs(self:entries()) do
    if entry.name == "acl" then
      local acl = parse_acl(entry)
      if acl.name == name then list[#list + 1] = acl end
    end
  end
  return list
end

-- Every ACL in file order, lines of the same name merged: { name, type, values, options, index, lines }.
function Acl:acls()
  local order, by_name = {}, {}
  for _, entry in ipairs(self:entries()) do
    if entry.name == "acl" then
      local line = parse_acl(entry)
      if line.name then
        local acl = by_name[line.name]
        if not acl then
          acl = { name = line.name, type = line.type, options = line.options_text, values = {}, index = entry.index,
            lines = {} }
          by_name[line.name] = acl
          order[#order + 1] = acl
        end
        for _, value in ipairs(line.values) do acl.values[#acl.values + 1] = value end
        acl.lines[#acl.lines + 1] = entry.index
      end
    end
  end
  return order
end

function Acl:acl(name)
  for _, acl in ipairs(self:acls()) do
    if acl.name == name then return acl end
  end
  return nil
end

-- Makes the ACL `name` of `acl_type` hold exactly `values` (see the rules at the top). `options` ("-i") replaces
-- the lines' options; nil keeps them. Returns true when the text changed.
function Acl:set_acl(name, acl_type, values, options)
  local lines = acl_lines(self, name)
  if options == "" then options = false end
  local function text_for(line_options, list)
    local flags = line_options and (" " .. line_options) or ""
    return "acl " .. name .. " " .. acl_type .. flags .. " " .. table.concat(list, " ")
  end
  local plan = squidplan.new()
  local function position()
    return self:placement("acl")
  end
  if #lines == 0 then
    if #values == 0 then return false end
    local where = position()
    if acl_type == "time" then
      for _, value in ipairs(values) do squidplan.insert(plan, where, text_for(options or nil, { value })) end
    else
      squidplan.insert(plan, where, text_for(options or nil, values))
    end
    self:apply(plan)
    return true
  end

  local same_kind = true
  local one_each = #lines > 1
  for _, line in ipairs(lines) do
    if line.type ~= acl_type or (options ~= nil and (line.options_text or false) ~= options) then same_kind = false end
    if #line.values ~= 1 then one_each = false end
  end
  local function options_of(line)
    if options ~= nil then return options or nil end
    return line.options_text
  end

  local changed = false
  if acl_type == "time" or one_each then
    local items, wanted = {}, {}
    for _, line in ipairs(lines) do items[#items + 1] = { entry = line.entry, key = table.concat(line.values, " "), acl = line } end
    for _, value in ipairs(values) do wanted[#wanted + 1] = { key = normal(value), args = normal(value) } end
    squidplan.sync(plan, items, wanted, same_kind,
      function(item, want)
        if not same_kind or item.key ~= want.key then
          squidplan.rewrite(plan, self.lines, item.entry, name .. " " .. acl_type
            .. (options_of(item.acl) and (" " .. options_of(item.acl)) or "") .. " " .. want.args)
          changed = true
        end
      end,
      function(want)
        changed = true
        return text_for(options_of(lines[1]), { want.args })
      end,
      position)
    for _ in pairs(plan.drop) do changed = true end
  else
    local merged = {}
    for _, line in ipairs(lines) do
      for _, value in ipairs(line.values) do merged[#merged + 1] = value end
    end
    if same_kind and table.concat(merged, " ") == table.concat(values, " ") then return false end
    if #values == 0 then
      for _, line in ipairs(lines) do squidplan.remove(plan, line.entry) end
    else
      squidplan.rewrite(plan, self.lines, lines[1].entry, name .. " " .. acl_type
        .. (options_of(lines[1]) and (" " .. options_of(lines[1])) or "") .. " " .. table.concat(values, " "))
      for k = 2, #lines do squidplan.remove(plan, lines[k].entry) end
    end
    changed = true
  end
  if changed then self:apply(plan) end
  return changed
end

-- Removes every line of the ACL; true when there was one.
function Acl:remove_acl(name)
  local lines = acl_lines(self, name)
  if #lines == 0 then return false end
  local plan = squidplan.new()
  for _, line in ipairs(lines) do squidplan.remove(plan, line.entry) end
  self:apply(plan)
  return true
end

-- The directives that name the ACL (also negated, "!name"): access rules, cache, deny_info, ..., and group ACLs
-- (any-of, all-of). Each as { name =, args =, index = }.
function Acl:acl_uses(name)
  local uses = {}
  for _, entry in ipairs(self:entries()) do
    local list
    if entry.name == "acl" then
      local acl = parse_acl(entry)
      if acl.type == "any-of" or acl.type == "all-of" then list = acl.values end
    elseif TAKES_ACLS[entry.name] or entry.name:match("_access$") then
      list = tokens(entry.args)
    end
    for _, word in ipairs(list or {}) do
      if word == name or word == "!" .. name then
        uses[#uses + 1] = { name = entry.name, args = entry.args, index = entry.index }
        break
      end
    end
  end
  return uses
end

return M
