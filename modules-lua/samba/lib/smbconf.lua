-- smbconf: smb.conf as its own lines. A section starts with "[name]"; a parameter is "name = value" and may go on
-- over further lines when a line ends in '\'; lines starting with '#' or ';' are comments. Parameter names are
-- matched as Samba matches them (case and blanks do not count) and with their synonyms (writable for read only).
-- Editing touches only the parameters and sections it must: every other line keeps its bytes (comments, includes,
-- unknown parameters, indentation, CRLF, a missing final newline).
local cfe = require("cfe")
local lines = require("lines")

local M = {}

M.PATH = "/etc/samba/smb.conf"
M.VALIDATOR = { "testparm", "-s", "{file}" }

-- A parameter's name as Samba compares it: lower case, without blanks or '_'.
function M.key(name)
  return (name:lower():gsub("[%s_]", ""))
end

local TRUE_WORDS = { yes = true, ["true"] = true, ["1"] = true, on = true }
local FALSE_WORDS = { no = true, ["false"] = true, ["0"] = true, off = true }

-- Samba's reading of a boolean value: true, false, or nil when it is neither.
function M.boolean(text)
  local word = lines.trim(text or ""):lower()
  if TRUE_WORDS[word] then return true end
  if FALSE_WORDS[word] then return false end
  return nil
end

local Conf = {}

-- Walks the lines into entries: sections { kind = "section", name, first, last } and parameters { kind = "param",
-- section (its section's name, lower case; "global" before any header), header (its section entry), name (as
-- written), key, value, first, last }.
local function scan(list)
  local entries, section, header, index = {}, "global", nil, 1
  while index <= #list do
    local first, text = index, list[index].text
    local comment = text:match("^%s*[#;]") ~= nil
    -- A line ending in '\' goes on in the next line (Samba joins them without the '\'); a comment does not.
    while not comment and text:match("\\%s*$") and index < #list do
      index = index + 1
      text = text:gsub("\\%s*$", "") .. list[index].text
    end
    local body = lines.trim(text)
    if body ~= "" and not body:match("^[#;]") then
      local name = body:match("^%[(.-)%]")
      if name then
        section = lines.trim(name):lower()
        header = { kind = "section", name = lines.trim(name), first = first, last = index }
        entries[#entries + 1] = header
      else
        local pname, value = body:match("^([^=]-)%s*=%s*(.-)$")
        if pname and pname ~= "" then
          entries[#entries + 1] = { kind = "param", section = section, header = header, name = pname,
            key = M.key(pname), value = value, first = first, last = index }
        end
      end
    end
    index = index + 1
  end
  return entries
end

function M.parse(text)
  local conf = lines.document(Conf, text)
  conf.entries = scan(conf.list)
  return conf
end

function Conf:rescan()
  self.entries = scan(self.list)
end

-- The sections in file order (global included when it has a header): { name =, first =, last = }.
function Conf:sections()
  local found = {}
  for _, entry in ipairs(self.entries) do
    if entry.kind == "section" then found[#found + 1] = entry end
  end
  return found
end

function Conf:has_section(name)
  for _, entry in ipairs(self:sections()) do
    if entry.name:lower() == name:lower() then return true end
  end
  return name:lower() == "global"
end

-- The parameters of a section (lower-case name) in file order; a section named twice is one section, as in Samba.
function Conf:params(section)
  local found = {}
  for _, entry in ipairs(self.entries) do
    if entry.kind == "param" and entry.section == section:lower() then found[#found + 1] = entry end
  end
  return found
end

-- The last setting of a parameter in a section (the one Samba uses), looked up by any of its names.
-- `names` maps a key to true (same sense) or "inverse" (a synonym of the opposite sense: writable for read only).
function Conf:find(section, names)
  local found
  for _, entry in ipairs(self:params(section)) do
    if names[entry.key] then found = entry end
  end
  return found
end

-- The physical line where a parameter's text starts, with its indentation and "name = " kept.
local function rewrite(conf, entry, value)
  local line = conf.list[entry.first]
  local head = line.text:match("^(%s*[^=]-%s*=%s*)") or (entry.name .. " = ")
  for k = entry.last, entry.first + 1, -1 do
    local removed = lines.remove(conf.list, k)
    if removed.eol == "" then line.eol = "" end
  end
  line.text = head .. value
end

-- The indentation new parameters get: the first parameter's of the section, else of the file, else three blanks.
local function indent_of(conf, section)
  for _, entry in ipairs(conf:params(section)) do return conf.list[entry.first].text:match("^(%s*)") end
  for _, entry in ipairs(conf.entries) do
    if entry.kind == "param" and entry.header then return conf.list[entry.first].text:match("^(%s*)") end
  end
  return "   "
end

-- The line after which a section's new parameter goes: its last parameter, else its header (nil: no such section).
local function section_end(conf, section)
  local last
  for _, entry in ipairs(conf.entries) do
    if entry.kind == "section" and entry.name:lower() == section:lower() then last = last or entry.last end
    if entry.kind == "param" and entry.section == section:lower() then last = entry.last end
  end
  return last
end

-- Sets a parameter of a section (value nil removes it). An existing setting keeps its line, name and layout: only
-- its value changes (a synonym of the opposite sense gets the opposite value); a new one goes after the section's
-- last parameter, named `name`. A section without a header gets "[global]" first. `sense` is the boolean value as
-- the field means it, for the inverse synonym; for other values nil.
function Conf:set(section, names, name, value, sense)
  local entry = self:find(section, names)
  if entry then
    if value == nil then
      for k = entry.last, entry.first, -1 do lines.remove(self.list, k) end
    else
      local written = value
      if names[entry.key] == "inverse" and sense ~= nil then written = sense and "no" or "yes" end
      rewrite(self, entry, written)
    end
    self:rescan()
    return
  end
  if value == nil then return end
  local after = section_end(self, section)
  local indent = indent_of(self, section)
  if not after then
    self:add_section(section, {})
    after = section_end(self, section)
  end
  lines.insert(self.list, after, { indent .. name .. " = " .. value })
  self:rescan()
end

-- Adds a section at the end of the file, after a blank line, with its parameters ({ { name, value }, ... }).
function Conf:add_section(name, params)
  local indent = indent_of(self, name)
  local texts = {}
  local last = self.list[#self.list]
  if last and lines.trim(last.text) ~= "" then texts[#texts + 1] = "" end
  texts[#texts + 1] = "[" .. name .. "]"
  for _, param in ipairs(params) do texts[#texts + 1] = indent .. param[1] .. " = " .. param[2] end
  lines.insert(self.list, #self.list, texts)
  self:rescan()
end

-- Removes a section (every header of that name, as Samba merges them): each header and its lines up to its last
-- parameter (comments after it belong to what follows), and one blank line before it where one stays after it.
function Conf:remove_section(name)
  local headers = {}
  for _, entry in ipairs(self:sections()) do
    if entry.name:lower() == name:lower() then headers[#headers + 1] = entry end
  end
  for k = #headers, 1, -1 do
    local entry, last = headers[k], headers[k].last
    for _, param in ipairs(self:params(name)) do
      if param.header == entry then last = param.last end
    end
    local first = entry.first
    local before, after = self.list[first - 1], self.list[last + 1]
    if before and lines.trim(before.text) == "" and (not after or lines.trim(after.text) == "") then first = first - 1 end
    for line = last, first, -1 do lines.remove(self.list, line) end
  end
  self:rescan()
  return #headers > 0
end

function M.read()
  return lines.read_parsed(M.PATH, M.parse)
end

-- Writes the changed file (checked by testparm -s) and answers the form: the refusal as the form's error, or done
-- with `message` ("Nothing changed." when the text is the same, which is no write at all). `after(tag)`, when
-- given, makes the form shown after a save (a list that must show the change).
function M.save(form, conf, message, after)
  local changed, refused = cfe.written(form,
    lines.write_changed(M.PATH, conf, cfe.expected_tag(form), { validate = M.VALIDATOR }))
  if refused then return refused end
  local done = after and after(form.value.tag.value) or form
  done.value.tag.value = form.value.tag.value
  return cfe.done(done, changed and message or "Nothing changed.")
end

return M
