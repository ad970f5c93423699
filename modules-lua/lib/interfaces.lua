-- interfaces: ifupdown's /etc/network/interfaces (Debian ifupdown, ifupdown-ng, busybox) as a lossless model.
-- Every byte is kept (CRLF, a missing final newline, tabs, comments, lines it does not know); an edit changes only
-- the lines whose values change, so a file parsed and written without a change comes back byte for byte.
--
-- Lines as ifupdown reads them: a line whose first word is `iface` or `template` starts a stanza; `auto`, `allow-*`,
-- `mapping`, `source`, `source-directory` (and `source-dir`) are stanzas of their own. Inside a stanza every other
-- non-blank, non-comment line is an option `key value` (indentation is customary, not required). Options of the same
-- key (up, pre-up, bridge-ports, address with ifupdown-ng, ...) are kept in their order.
--
-- A stanza head is `iface NAME [FAMILY METHOD] [inherits TEMPLATE]`: ifupdown-ng's own form has no family (`iface
-- br0` with `use bridge` options); Debian's has one (`iface eth0 inet static`). ifupdown-ng merges stanzas of the same
-- name, so a stanza is found by name, family and its number among those (1 for the first).
local linelist = require("lines")
local head = require("ifacehead")

local M = {}

local Model = {}
Model.__index = Model

M.PATH = "/etc/network/interfaces"
M.VALIDATOR = { "ifquery", "-i", "{file}", "--list", "-a" }

local STANZA_WORDS = { iface = true, mapping = true, auto = true, source = true, ["source-directory"] = true,
  ["source-dir"] = true, rename = true, template = true }

local function is_stanza_word(word)
  return STANZA_WORDS[word] or word:sub(1, 6) == "allow-"
end

local trim = linelist.trim

local words = linelist.words

function M.parse(text)
  return linelist.model(Model, text, "index")
end

-- Rebuilds the stanza index from the lines: stanzas (iface), autos (auto/allow-* lines), sources.
function Model:index()
  local stanzas, autos, sources, seen = {}, {}, {}, {}
  local current = nil
  for i, line in ipairs(self.lines) do
    local body = trim(line.text)
    if body ~= "" and body:sub(1, 1) ~= "#" then
      local first = body:match("^(%S+)")
      if is_stanza_word(first) then
        current = nil
        if first == "iface" or first == "template" then
          current = head.parse(body)
          current.kind, current.line, current.last, current.options = first, i, i, {}
          local key = current.kind .. " " .. current.name .. " " .. current.family
          seen[key] = (seen[key] or 0) + 1
          current.n = seen[key]
          stanzas[#stanzas + 1] = current
        end
        local list = words(body)
        if first == "auto" or first:sub(1, 6) == "allow-" then
          local names = {}
          for k = 2, #list do names[#names + 1] = list[k] end
          autos[#autos + 1] = { keyword = first, names = names, line = i }
        elseif first == "source" or first == "source-directory" or first == "source-dir" then
          sources[#sources + 1] = { kind = first, path = trim(body:sub(#first + 1)), line = i }
        end
      elseif current then
        local key, value = body:match("^(%S+)%s*(.-)$")
        current.options[#current.options + 1] = { key = key, value = value, line = i }
        current.last = i
      end
    end
  end
  self.stanzas, self.autos, self.source_list = stanzas, autos, sources
end

function Model:is_auto(name)
  for _, auto in ipairs(self.autos) do
    if auto.keyword == "auto" or auto.keyword == "allow-auto" then
      for _, n in ipairs(auto.names) do
        if n == name then return true end
      end
    end
  end
  return false
end

local function copy_stanza(self, stanza)
  local options = {}
  for _, option in ipairs(stanza.options) do options[#options + 1] = { key = option.key, value = option.value } end
  return { kind = stanza.kind, name = stanza.name, family = stanza.family, method = stanza.method, n = stanza.n,
    inherits = stanza.inherits, auto = self:is_auto(stanza.name), options = options }
end

function Model:list()
  local list = {}
  for _, stanza in ipairs(self.stanzas) do list[#list + 1] = copy_stanza(self, stanza) end
  return list
end

-- The n-th (default first) `iface` stanza of name and family ("" for none); templates are not found here.
function Model:find(name, family, n)
  for _, stanza in ipairs(self.stanzas) do
    if stanza.kind == "iface" and stanza.name == name and stanza.family == family and stanza.n == (n or 1) then
      return stanza
    end
  end
  return nil
end

function Model:get(name, family, n)
  local stanza = self:find(name, family, n)
  return stanza and copy_stanza(self, stanza) or nil
end

-- The options the stanza already has, as a set of "key value": what the file says is not checked again when it is
-- written back (an option Acf would not write itself, a Latin-1 SSID or a tab in a command, never blocks a save).
function Model:known_options(name, family, n)
  local known = {}
  local stanza = self:find(name, family, n)
  for _, option in ipairs(stanza and stanza.options or {}) do known[option.key .. " " .. option.value] = true end
  return known
end

function Model:sources()
  local list = {}
  for _, source in ipairs(self.source_list) do list[#list + 1] = { kind = source.kind, path = source.path } end
  return list
end

-- true when key and value may be written as one option line; else nil and why not.
function M.check_option(key, value)
  if type(key) ~= "string" or key == "" then return nil, "An option needs a name." end
  if not key:match("^[%w_%-]+$") then
    return nil, "'" .. key .. "' is not an option name: letters, digits, '_' and '-' only."
  end
  if is_stanza_word(key) then return nil, "'" .. key .. "' starts a new stanza; it cannot be an option." end
  if type(value) ~= "string" then return nil, "The option " .. key .. " needs a value." end
  if value:find("[\r\n]") then return nil, "Line breaks are not allowed in the value of " .. key .. "." end
  -- A tab is whitespace to ifupdown, as in the file's own lines; other control characters are not.
  if value:find("[%z\1-\8\11-\31\127]") then
    return nil, "Control characters are not allowed in the value of " .. key .. "."
  end
  if trim(value) == "" then return nil, "The option " .. key .. " needs a value." end
  if trim(value):sub(-1) == "\\" then return nil, "The value of " .. key .. " cannot end with '\\'." end
  return true
end

-- Inserts lines (texts) after line index `after` (0: at the top), keeping a missing final newline at the end.
function Model:insert(after, texts)
  linelist.insert(self.lines, after, texts)
end

-- Removes the lines in `drop` (a set of indexes); a blank line left doubled (or at the top or end) goes too.
function Model:drop(drop)
  local out, skipped = {}, false
  local last_eol = self.lines[#self.lines] and self.lines[#self.lines].eol
  for i, line in ipairs(self.lines) do
    if drop[i] then
      skipped = true
    else
      local blank = trim(line.text) == ""
      local previous = out[#out]
      if not (skipped and blank and (previous == nil or trim(previous.text) == "")) then out[#out + 1] = line end
      skipped = false
    end
  end
  if skipped then
    while #out > 0 and trim(out[#out].text) == "" do out[#out] = nil end
  end
  if #out > 0 and last_eol == "" then out[#out].eol = "" end
  self.lines = out
  self:index()
end

-- Rewrites the words after the keyword of an auto/allow line (the line goes when none are left).
local function set_auto_names(self, auto, names, drop)
  if #names == 0 then
    drop[auto.line] = true
    return
  end
  local line = self.lines[auto.line]
  local lead = line.text:match("^(%s*)") or ""
  line.text = lead .. auto.keyword .. " " .. table.concat(names, " ")
end

local function remove_auto(self, name, keywords, drop)
  for _, auto in ipairs(self.autos) do
    if keywords[auto.keyword] or (keywords["allow-*"] and auto.keyword:sub(1, 6) == "allow-") then
      local kept, found = {}, false
      for _, n in ipairs(auto.names) do
        if n == name then found = true else kept[#kept + 1] = n end
      end
      if found then set_auto_names(self, auto, kept, drop) end
    end
  end
end

-- The indentation of new option lines: the stanza's own, else the file's first, else a tab.
local function indent_for(self, stanza)
  local sample = stanza and stanza.options[#stanza.options]
  if not sample then
    for _, other in ipairs(self.stanzas) do
      if other.options[1] then
        sample = other.options[1]
        break
      end
    end
  end
  if sample then
    local lead = self.lines[sample.line].text:match("^(%s*)")
    if lead ~= "" then return lead end
  end
  return "\t"
end

local function check_all(name, family, method, options, known)
  local ok, message = head.check(name, family, method)
  if not ok then return nil, message end
  for _, option in ipairs(options) do
    if not known[option.key .. " " .. option.value] then
      ok, message = M.check_option(option.key, option.value)
      if not ok then return nil, message end
    end
  end
  return true
end

-- Makes the n-th (default first) stanza `name family` have `method`, exactly `options` ({ {key=, value=}... }) and
-- the auto flag; family and method are "" for ifupdown-ng's `iface NAME`. An existing stanza is edited in place; a new
-- one is added after the last stanza. Options the stanza already has are not checked again. Returns changed, or nil
-- and why not.
function Model:set(name, family, method, options, auto, n)
  options = options or {}
  local ok, message = check_all(name, family, method, options, self:known_options(name, family, n))
  if not ok then return nil, message end
  for k, option in ipairs(options) do options[k] = { key = option.key, value = trim(option.value) } end
  local before = self:text()
  local stanza = self:find(name, family, n)
  if not stanza then
    local at = #self.stanzas > 0 and self.stanzas[#self.stanzas].last or #self.lines
    local texts = {}
    if at > 0 and trim(self.lines[at].text) ~= "" then texts[#texts + 1] = "" end
    if auto and not self:is_auto(name) then texts[#texts + 1] = "auto " .. name end
    texts[#texts + 1] = head.rewrite("iface " .. name, name, family, method)
    local indent = indent_for(self, nil)
    for _, option in ipairs(options) do texts[#texts + 1] = indent .. option.key .. " " .. option.value end
    local following = self.lines[at + 1]
    if following and trim(following.text) ~= "" then texts[#texts + 1] = "" end
    self:insert(at, texts)
    self:index()
    if not auto and self:is_auto(name) then
      local drop = {}
      remove_auto(self, name, { auto = true, ["allow-auto"] = true }, drop)
      self:drop(drop)
    end
    return self:text() ~= before
  end

  if stanza.method ~= method then
    local line = self.lines[stanza.line]
    line.text = head.rewrite(line.text, name, family, method)
  end
  -- The k-th existing option of a key pairs with the k-th wanted one of that key.
  local wanted_by_key, seen = {}, {}
  for _, option in ipairs(options) do
    local list = wanted_by_key[option.key] or {}
    wanted_by_key[option.key] = list
    list[#list + 1] = option
  end
  local drop, used = {}, {}
  for _, option in ipairs(stanza.options) do
    local n = (seen[option.key] or 0) + 1
    seen[option.key] = n
    local want = wanted_by_key[option.key] and wanted_by_key[option.key][n]
    if want then
      used[want] = true
      if want.value ~= option.value then
        local line = self.lines[option.line]
        local lead, key, space = line.text:match("^(%s*)(%S+)(%s*)")
        if space == "" then space = " " end
        line.text = lead .. key .. space .. want.value
      end
    else
      drop[option.line] = true
    end
  end
  local texts, indent = {}, indent_for(self, stanza)
  for _, option in ipairs(options) do
    if not used[option] then texts[#texts + 1] = indent .. option.key .. " " .. option.value end
  end
  if auto and not self:is_auto(name) then
    self:insert(stanza.last, texts)
    table.insert(self.lines, stanza.line, { text = "auto " .. name, eol = self:newline() })
    -- shift the dropped lines that follow the new auto line
    local shifted = {}
    for i in pairs(drop) do shifted[i >= stanza.line and i + 1 or i] = true end
    drop = shifted
    self:index()
  else
    self:insert(stanza.last, texts)
    self:index()
    if not auto and self:is_auto(name) then remove_auto(self, name, { auto = true, ["allow-auto"] = true }, drop) end
  end
  self:drop(drop)
  return self:text() ~= before
end

-- Renames the n-th stanza `name family` in place to `new_name new_family new_method` (family and method "" for
-- ifupdown-ng's form): its line keeps its position, indentation, comments, options and what follows the words
-- (inherits), and the auto/allow lines follow the new name when no other stanza keeps the old one. true when it was
-- there; nil and why not when the new words are not valid.
function Model:rename(name, family, n, new_name, new_family, new_method)
  local ok, message = head.check(new_name, new_family, new_method)
  if not ok then return nil, message end
  local stanza = self:find(name, family, n)
  if not stanza then return false end
  local line = self.lines[stanza.line]
  line.text = head.rewrite(line.text, new_name, new_family, new_method)
  local others = false
  for _, other in ipairs(self.stanzas) do
    if other ~= stanza and other.name == name then others = true end
  end
  if not others and new_name ~= name then
    local drop = {}
    for _, auto in ipairs(self.autos) do
      local names, found, present = {}, false, false
      for _, n in ipairs(auto.names) do
        if n == new_name then present = true end
      end
      for _, n in ipairs(auto.names) do
        if n == name then
          found = true
          if not present then names[#names + 1] = new_name end
        else
          names[#names + 1] = n
        end
      end
      if found then set_auto_names(self, auto, names, drop) end
    end
    self:drop(drop)
  else
    self:index()
  end
  return true
end

-- Removes the n-th stanza (and the name from auto/allow lines when no stanza of the name is left). true when one was
-- there.
function Model:remove(name, family, n)
  local stanza = self:find(name, family, n)
  if not stanza then return false end
  local drop = {}
  for i = stanza.line, stanza.last do drop[i] = true end
  local others = false
  for _, other in ipairs(self.stanzas) do
    if other ~= stanza and other.name == name then others = true end
  end
  if not others then remove_auto(self, name, { auto = true, ["allow-*"] = true }, drop) end
  -- Comment lines right above the stanza (or its removed auto line) describe it and go with it.
  local k = stanza.line - 1
  while k >= 1 and (drop[k] or trim(self.lines[k].text):sub(1, 1) == "#") do
    drop[k] = true
    k = k - 1
  end
  self:drop(drop)
  return true
end

return M
