-- squidconf: squid.conf as a lossless model. Every byte is kept (CRLF, a missing final newline, tabs, trailing
-- spaces, comments, directives it does not know); an edit changes only the lines whose values change, so a file
-- parsed and written without a change comes back byte for byte.
--
-- Lines as squid reads them (cache_cf.cc): a line ends at its first CR, blanks around it do not count, a line starting
-- with '#' is a comment, and an active line ending with '\' continues on the next active line. The first word is the
-- directive; `args` is the rest of the line as written (an inline "# comment" included: squid drops it only where a
-- directive reads words, and some read the rest of the line). A key of several words ("auth_param basic realm")
-- names the directives whose arguments start with those words; their `args` are what follows the key.
--
-- Where a new line goes (set, set_all, set_acl):
--   1. after the last active line of the same key, else of the same directive;
--   2. else inside the directive's documentation block ("#  TAG: name" up to the next TAG): after its last commented
--      example ("#cache_dir ufs ..."), or else right after the block's comment lines;
--   3. else after the last commented example of the directive anywhere;
--   4. else at the end of the file.
-- options.before = "<directive>" keeps the new line above the first active line of that directive (auth_param must
-- come before the proxy_auth ACL that needs it).
--
-- ACLs (set_acl): lines of one ACL that hold one value each (as Debian's localnet and Safe_ports) stay one value per
-- line: kept values keep their line and its comment, removed values lose their line, new values get new lines after
-- the last one kept. Otherwise the first line is rewritten to hold every value and the other lines are removed. A
-- `time` ACL always has one specification per line (squid merges day letters that are not followed by hours).
local linelist = require("lines")
local valid = require("valid")

local M = {}

local Conf = {}
Conf.__index = Conf

M.PATH = "/etc/squid/squid.conf"
M.VALIDATOR = { "squid", "-k", "parse", "-f", "{file}" }

-- squid reads a line into a buffer of BUFSIZ (8192) bytes and starts a new line after it: stay far below.
M.MAX_VALUE = 4000

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

local trim = linelist.trim

-- The whitespace-separated words of a text.
M.words = linelist.words
local words = M.words

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

-- Arguments with their blanks made single spaces (how forms show and compare them).
function M.normal(text)
  return table.concat(words(text), " ")
end
local normal = M.normal

-- The rest of a text after its first n words, or nil when it has fewer.
local function after_words(text, n)
  local pos = 1
  for _ = 1, n do
    local _, last = text:find("^%s*%S+", pos)
    if not last then return nil end
    pos = last + 1
  end
  return trim(text:sub(pos))
end

-- What squid sees of one physical line: "blank", "comment" or "active", and the text without surrounding blanks.
local function classify(text)
  local body = trim(text:match("^[^\r]*"))
  if body == "" then return "blank", body end
  if body:sub(1, 1) == "#" then return "comment", body end
  return "active", body
end

function M.parse(text)
  local lines = linelist.split(text)
  return setmetatable({ lines = lines }, Conf)
end

function Conf:text()
  return linelist.join(self.lines)
end

-- The line ending new lines get: the file's own (its first line's), else "\n".
function Conf:newline()
  return linelist.newline(self.lines)
end

-- Every active directive in file order: name, args, index (its first line), lines (its physical lines).
function Conf:entries()
  if self.cache then return self.cache end
  local list, pending = {}, nil
  local function finish()
    local name, rest = pending.joined:match("^(%S+)%s*(.*)$")
    local lines = pending.lines
    list[#list + 1] = { name = name, args = trim(rest), index = lines[1], last = lines[#lines], lines = lines }
    pending = nil
  end
  for i, line in ipairs(self.lines) do
    local kind, body = classify(line.text)
    if kind == "active" then
      if pending then
        pending.joined = pending.joined .. body
        pending.lines[#pending.lines + 1] = i
      else
        pending = { joined = body, lines = { i } }
      end
      if pending.joined:sub(-1) == "\\" then
        pending.joined = pending.joined:sub(1, -2)
      else
        finish()
      end
    end
  end
  if pending then finish() end
  self.cache = list
  return list
end

-- The directives of a key (one or more words), each as { name = key, args = after the key, index =, entry = }.
function Conf:find(key)
  local keywords = words(key)
  local found = {}
  for _, entry in ipairs(self:entries()) do
    if entry.name == keywords[1] then
      local matches = true
      if #keywords > 1 then
        local argwords = words(entry.args)
        for k = 2, #keywords do
          if argwords[k - 1] ~= keywords[k] then
            matches = false
            break
          end
        end
      end
      if matches then
        found[#found + 1] = { name = normal(key), index = entry.index, entry = entry,
          args = #keywords > 1 and after_words(entry.args, #keywords - 1) or entry.args }
      end
    end
  end
  return found
end

-- The active directives of a key in file order: { name =, args =, index = }.
function Conf:directives(key)
  local list = {}
  for _, found in ipairs(self:find(key)) do
    list[#list + 1] = { name = found.name, args = found.args, index = found.index }
  end
  return list
end

function Conf:get(key)
  local found = self:find(key)[1]
  return found and found.args or nil
end

function Conf:includes()
  local list = {}
  for _, found in ipairs(self:find("include")) do list[#list + 1] = found.args end
  return list
end

-- Edits are collected as a plan over the current line numbers and applied in one pass.
local function new_plan()
  return { replace = {}, drop = {}, after = {}, before = {} }
end

local function add_line(map, index, text)
  local list = map[index]
  if not list then
    list = {}
    map[index] = list
  end
  list[#list + 1] = text
end

local function insert_line(plan, position, text)
  if position.before then
    add_line(plan.before, position.before, text)
  else
    add_line(plan.after, position.after, text)
  end
end

local function remove_entry(plan, entry)
  for _, i in ipairs(entry.lines) do plan.drop[i] = true end
end

-- The first line of an entry with new arguments: its indentation, the name and the blank after it are kept.
local function rewrite_entry(self, plan, entry, args)
  local first = self.lines[entry.index].text:match("^[^\r]*")
  local lead, space = first:match("^(%s*)%S+(%s*)")
  if not space or space == "" then space = " " end
  plan.replace[entry.index] = (lead or "") .. entry.name .. space .. args
  for k = 2, #entry.lines do plan.drop[entry.lines[k]] = true end
end

function Conf:apply(plan)
  local newline = self:newline()
  local old, out = self.lines, {}
  local function add_new(list)
    for _, text in ipairs(list or {}) do out[#out + 1] = { text = text, eol = newline } end
  end
  add_new(plan.after[0])
  for i, line in ipairs(old) do
    add_new(plan.before[i])
    if not plan.drop[i] then
      local text = plan.replace[i]
      out[#out + 1] = text and { text = text, eol = line.eol } or line
    end
    add_new(plan.after[i])
  end
  -- Every line but the last ends with a newline; the last ends as the file's last line did.
  for k = 1, #out - 1 do
    if out[k].eol == "" then out[k] = { text = out[k].text, eol = newline } end
  end
  if #old > 0 and old[#old].eol == "" and #out > 0 and out[#out].eol ~= "" then
    out[#out] = { text = out[#out].text, eol = "" }
  end
  self.lines = out
  self.cache = nil
end

local function tag_of(text)
  return text:match("^#%s+TAG:%s+(%S+)")
end

-- "#name ..." with no blank after '#': how squid's own files write a commented example.
local function is_example(text, name)
  local word, next_char = text:match("^[^\r]*"):match("^%s*#([%w_.%-]+)(.?)")
  return word == name and (next_char == "" or next_char:match("%s") ~= nil)
end

-- Where a new line of the key goes (see the rules at the top).
function Conf:placement(key, options)
  local name = words(key)[1]
  local position
  local same = self:find(key)
  if #same == 0 then same = self:find(name) end
  if #same > 0 then position = { after = same[#same].entry.last } end
  if not position then
    local tag_start, block_end, block_example, any_example
    for i, line in ipairs(self.lines) do
      local tag = tag_of(line.text)
      if tag and tag_start and not block_end then block_end = i - 1 end
      if tag == name and not tag_start then tag_start = i end
      if is_example(line.text, name) then
        any_example = i
        if tag_start and not block_end then block_example = i end
      end
    end
    if block_example then
      position = { after = block_example }
    elseif tag_start then
      local last = tag_start
      while self.lines[last + 1] and classify(self.lines[last + 1].text) == "comment" do last = last + 1 end
      position = { after = last }
    elseif any_example then
      position = { after = any_example }
    else
      position = { after = #self.lines }
    end
  end
  if options and options.before then
    local first = self:find(options.before)[1]
    if first and (position.before and first.index < position.before or first.index <= (position.after or 0)) then
      position = { before = first.index }
    end
  end
  return position
end

local function line_for(key, args)
  return normal(key) .. " " .. args
end

-- Sets the first directive of the key to args (in place), inserts it where it belongs, or removes it (args nil).
-- Returns true when the text changed; setting the words it already has changes nothing.
function Conf:set(key, args, options)
  local first = self:find(key)[1]
  local plan = new_plan()
  local keywords = words(key)
  local prefix = #keywords > 1 and (table.concat(keywords, " ", 2) .. " ") or ""
  if args == nil then
    if not first then return false end
    remove_entry(plan, first.entry)
  elseif first then
    if normal(first.args) == normal(args) then return false end
    rewrite_entry(self, plan, first.entry, prefix .. trim(args))
  else
    insert_line(plan, self:placement(key, options), line_for(key, trim(args)))
  end
  self:apply(plan)
  return true
end

-- The longest common subsequence of two key lists, as pairs of indexes in increasing order.
local function full_common(a, b)
  local m, n = #a, #b
  if m == 0 or n == 0 or m * n > 200000 then return {} end
  local width = n + 2
  local length = {}
  for i = m + 1, 1, -1 do
    for j = n + 1, 1, -1 do
      local value = 0
      if i <= m and j <= n then
        if a[i] == b[j] then
          value = (length[i * width + j + 1 + width] or 0) + 1
        else
          local down, right = length[(i + 1) * width + j] or 0, length[i * width + j + 1] or 0
          value = down >= right and down or right
        end
      end
      length[i * width + j] = value
    end
  end
  local pairs_list, i, j = {}, 1, 1
  while i <= m and j <= n do
    if a[i] == b[j] then
      pairs_list[#pairs_list + 1] = { i, j }
      i, j = i + 1, j + 1
    elseif (length[(i + 1) * width + j] or 0) >= (length[i * width + j + 1] or 0) then
      i = i + 1
    else
      j = j + 1
    end
  end
  return pairs_list
end

-- The common subsequence, with the equal head and tail of both lists matched first: one value removed from a
-- 1,000-line ACL is too large a table for full_common, yet keeps every other line (and its comment) untouched.
local function common(a, b)
  local head, tail = 0, 0
  while head < #a and head < #b and a[head + 1] == b[head + 1] do head = head + 1 end
  while tail < #a - head and tail < #b - head and a[#a - tail] == b[#b - tail] do tail = tail + 1 end
  local pairs_list, middle_a, middle_b = {}, {}, {}
  for k = 1, head do pairs_list[#pairs_list + 1] = { k, k } end
  for k = head + 1, #a - tail do middle_a[#middle_a + 1] = a[k] end
  for k = head + 1, #b - tail do middle_b[#middle_b + 1] = b[k] end
  for _, pair in ipairs(full_common(middle_a, middle_b)) do
    pairs_list[#pairs_list + 1] = { pair[1] + head, pair[2] + head }
  end
  for k = tail - 1, 0, -1 do pairs_list[#pairs_list + 1] = { #a - k, #b - k } end
  return pairs_list
end

-- Turns existing entries into the wanted values in order: the longest common part stays untouched (when `keep`),
-- the other existing entries are rewritten in order, extra ones removed, and extra values inserted after the last
-- entry kept before them (or before the next one, or where `fallback()` says when there is none).
local function sync(self, plan, items, wanted, keep, rewrite, new_text, fallback)
  local anchors = {}
  if keep then
    local item_keys, wanted_keys = {}, {}
    for k, item in ipairs(items) do item_keys[k] = item.key end
    for k, want in ipairs(wanted) do wanted_keys[k] = want.key end
    anchors = common(item_keys, wanted_keys)
  end
  table.insert(anchors, 1, { 0, 0 })
  anchors[#anchors + 1] = { #items + 1, #wanted + 1 }
  for s = 1, #anchors - 1 do
    local from, to = anchors[s], anchors[s + 1]
    local olds, news = {}, {}
    for k = from[1] + 1, to[1] - 1 do olds[#olds + 1] = items[k] end
    for k = from[2] + 1, to[2] - 1 do news[#news + 1] = wanted[k] end
    local reused = math.min(#olds, #news)
    for k = 1, reused do rewrite(olds[k], news[k]) end
    for k = reused + 1, #olds do remove_entry(plan, olds[k].entry) end
    if #news > reused then
      local position
      if reused > 0 then
        position = { after = olds[reused].entry.last }
      elseif from[1] >= 1 then
        position = { after = items[from[1]].entry.last }
      elseif to[1] <= #items then
        position = { before = items[to[1]].entry.index }
      else
        position = fallback()
      end
      for k = reused + 1, #news do insert_line(plan, position, new_text(news[k])) end
    end
  end
end

-- Makes the active directives of the key exactly `list` (arguments, in this order). Lines whose words stay keep
-- their place and bytes; the others are rewritten in place, removed, or inserted after the last one kept.
function Conf:set_all(key, list, options)
  local keywords = words(key)
  local prefix = #keywords > 1 and (table.concat(keywords, " ", 2) .. " ") or ""
  local items, wanted = {}, {}
  for _, found in ipairs(self:find(key)) do items[#items + 1] = { entry = found.entry, key = normal(found.args) } end
  for _, args in ipairs(list) do wanted[#wanted + 1] = { key = normal(args), args = trim(args) } end
  local plan = new_plan()
  local changed = false
  sync(self, plan, items, wanted, true,
    function(item, want)
      if item.key ~= want.key then
        rewrite_entry(self, plan, item.entry, prefix .. want.args)
        changed = true
      end
    end,
    function(want)
      changed = true
      return line_for(key, want.args)
    end,
    function() return self:placement(key, options) end)
  for _ in pairs(plan.drop) do changed = true end
  if changed then self:apply(plan) end
  return changed
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
function Conf:acls()
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

function Conf:acl(name)
  for _, acl in ipairs(self:acls()) do
    if acl.name == name then return acl end
  end
  return nil
end

-- Makes the ACL `name` of `acl_type` hold exactly `values` (see the rules at the top). `options` ("-i") replaces
-- the lines' options; nil keeps them. Returns true when the text changed.
function Conf:set_acl(name, acl_type, values, options)
  local lines = acl_lines(self, name)
  if options == "" then options = false end
  local function text_for(line_options, list)
    local flags = line_options and (" " .. line_options) or ""
    return "acl " .. name .. " " .. acl_type .. flags .. " " .. table.concat(list, " ")
  end
  local plan = new_plan()
  local function position()
    return self:placement("acl")
  end
  if #lines == 0 then
    if #values == 0 then return false end
    local where = position()
    if acl_type == "time" then
      for _, value in ipairs(values) do insert_line(plan, where, text_for(options or nil, { value })) end
    else
      insert_line(plan, where, text_for(options or nil, values))
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
    sync(self, plan, items, wanted, same_kind,
      function(item, want)
        if not same_kind or item.key ~= want.key then
          rewrite_entry(self, plan, item.entry, name .. " " .. acl_type
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
      for _, line in ipairs(lines) do remove_entry(plan, line.entry) end
    else
      rewrite_entry(self, plan, lines[1].entry, name .. " " .. acl_type
        .. (options_of(lines[1]) and (" " .. options_of(lines[1])) or "") .. " " .. table.concat(values, " "))
      for k = 2, #lines do remove_entry(plan, lines[k].entry) end
    end
    changed = true
  end
  if changed then self:apply(plan) end
  return changed
end

-- Removes every line of the ACL; true when there was one.
function Conf:remove_acl(name)
  local lines = acl_lines(self, name)
  if #lines == 0 then return false end
  local plan = new_plan()
  for _, line in ipairs(lines) do remove_entry(plan, line.entry) end
  self:apply(plan)
  return true
end

-- The directives that name the ACL (also negated, "!name"): access rules, cache, deny_info, ..., and group ACLs
-- (any-of, all-of). Each as { name =, args =, index = }.
function Conf:acl_uses(name)
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

-- Datatypes of squid.conf values, shared by the forms: true when the text is one.
M.is_ipv4 = valid.is_ipv4
M.is_ipv6 = function(text) return valid.is_ipv6(text) end
M.is_hostname = valid.is_hostname

-- nil when text may be written as one value (or, with `spaces`, the arguments) of a directive; else why not.
local function check(text, spaces)
  if type(text) ~= "string" then return "Enter a value." end
  if text:find("[\r\n]") then return "Line breaks are not allowed: a value stays on its own line." end
  if text:find("%c") then return "Control characters (tabs included) are not allowed." end
  if #text > M.MAX_VALUE then return "A value has at most " .. M.MAX_VALUE .. " characters." end
  if not utf8.len(text) then return "The text is not valid UTF-8." end
  local value = trim(text)
  if value == "" then return "Enter a value." end
  if value:sub(1, 1) == "#" then return "A value cannot start with '#': squid would read a comment." end
  if value:sub(-1) == "\\" then return "A value cannot end with '\\': squid would join the next line to it." end
  if not spaces and value:find("%s") then return "One word only, without spaces." end
  return nil
end

function M.check_word(text)
  return check(text, false)
end

function M.check_args(text)
  return check(text, true)
end

-- Reads squid.conf: the model and the file's tag, or nil and why not.
function M.read(path)
  local text, tag = acf.fs.read(path or M.PATH)
  if not text then return nil, tag end
  return M.parse(text), tag
end

local NOISE = { "| Startup:", "| Processing:", "| Processing Configuration File", "Squid Cache (Version",
  "CPU Usage:", "Maximum Resident Size:", "Page faults with", "storeDirWriteCleanLogs", "Not currently OK to rewrite",
  "Initializing https", "Created PID file", "Set Current Directory" }

-- squid's own messages of a refusal, without its start-up chatter and time stamps.
function M.messages(text)
  local kept = {}
  for line in (tostring(text) .. "\n"):gmatch("([^\n]*)\n") do
    local noise = line:match("^%s*$") ~= nil
    for _, pattern in ipairs(NOISE) do
      if line:find(pattern, 1, true) then
        noise = true
        break
      end
    end
    if not noise then kept[#kept + 1] = (line:gsub("^%d+/%d+/%d+ %d+:%d+:%d+|%s*", "")) end
  end
  return #kept > 0 and table.concat(kept, "\n") or tostring(text)
end

-- Writes the model after squid -k parse accepted it: changed (boolean) and the new tag, or nil and squid's messages.
function M.write(conf, tag, path)
  local expected = tag ~= nil and tag ~= "" and tag or nil
  local changed, tag_or_err = acf.fs.write(path or M.PATH, conf:text(), expected, { validate = M.VALIDATOR })
  if changed == nil then return nil, M.messages(tag_or_err) end
  return changed, tag_or_err
end

return M
