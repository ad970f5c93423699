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
local squidacl = require("squidacl")
local squidplan = require("squidplan")

local M = {}

local Conf = {}
Conf.__index = Conf

M.PATH = "/etc/squid/squid.conf"
M.VALIDATOR = { "squid", "-k", "parse", "-f", "{file}" }

-- squid reads a line into a buffer of BUFSIZ (8192) bytes and starts a new line after it: stay far below.
M.MAX_VALUE = 4000

local trim = linelist.trim

-- The whitespace-separated words of a text.
M.words = linelist.words
local words = M.words

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
  return linelist.model(Conf, text)
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

function Conf:apply(plan)
  self.lines = squidplan.apply(self.lines, plan, self:newline())
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
  local plan = squidplan.new()
  local keywords = words(key)
  local prefix = #keywords > 1 and (table.concat(keywords, " ", 2) .. " ") or ""
  if args == nil then
    if not first then return false end
    squidplan.remove(plan, first.entry)
  elseif first then
    if normal(first.args) == normal(args) then return false end
    squidplan.rewrite(plan, self.lines, first.entry, prefix .. trim(args))
  else
    squidplan.insert(plan, self:placement(key, options), line_for(key, trim(args)))
  end
  self:apply(plan)
  return true
end

-- Makes the active directives of the key exactly `list` (arguments, in this order). Lines whose words stay keep
-- their place and bytes; the others are rewritten in place, removed, or inserted after the last one kept.
function Conf:set_all(key, list, options)
  local keywords = words(key)
  local prefix = #keywords > 1 and (table.concat(keywords, " ", 2) .. " ") or ""
  local items, wanted = {}, {}
  for _, found in ipairs(self:find(key)) do items[#items + 1] = { entry = found.entry, key = normal(found.args) } end
  for _, args in ipairs(list) do wanted[#wanted + 1] = { key = normal(args), args = trim(args) } end
  local plan = squidplan.new()
  local changed = false
  squidplan.sync(plan, items, wanted, true,
    function(item, want)
      if item.key ~= want.key then
        squidplan.rewrite(plan, self.lines, item.entry, prefix .. want.args)
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

-- The ACL methods (acls, acl, set_acl, remove_acl, acl_uses) live in squidacl.lua.
for name, method in pairs(squidacl.methods) do Conf[name] = method end
M.BUILTIN_ACLS = squidacl.BUILTIN_ACLS
M.tokens = squidacl.tokens

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
  return linelist.read_parsed(path or M.PATH, M.parse)
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
  acf.progress("Checking squid.conf (squid -k parse)") -- the write runs squid's check first: seconds on a large file
  local changed, tag_or_err = acf.fs.write(path or M.PATH, conf:text(), expected, { validate = M.VALIDATOR })
  if changed == nil then return nil, M.messages(tag_or_err) end
  return changed, tag_or_err
end

return M