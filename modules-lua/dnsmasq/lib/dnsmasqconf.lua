-- dnsmasqconf: /etc/dnsmasq.conf as its own lines, edited in place. A directive is `name=value` or a bare `name`
-- (a flag); '#' starts a comment at the start of a line or after whitespace (outside quotes), as dnsmasq reads it.
-- Lines the editor does not touch keep their bytes: comments, order, unknown options, CRLF, a missing final newline.
local cfe = require("cfe")
local lines = require("lines")

local M = {}

M.PATH = "/etc/dnsmasq.conf"
M.LEASES = "/var/lib/misc/dnsmasq.leases"
M.VALIDATOR = { "dnsmasq", "--test", "-C", "{file}" }

-- Splits one line into indent, name, value (nil for a flag) and the trailing comment with the space before it.
local function directive(text)
  local indent, body = text:match("^(%s*)(.*)$")
  if body == "" or body:sub(1, 1) == "#" then return nil end
  local quoted, cut = false, #body + 1
  for k = 1, #body do
    local c = body:sub(k, k)
    if c == '"' then
      quoted = not quoted
    elseif c == "#" and not quoted and body:sub(k - 1, k - 1):match("%s") then
      cut = k
      break
    end
  end
  local content, comment = body:sub(1, cut - 1), body:sub(cut)
  local trailing = content:match("(%s*)$")
  content, comment = content:sub(1, #content - #trailing), trailing .. comment
  local name, value = content:match("^([%w%-]+)=(.*)$")
  if not name then
    name = content:match("^([%w%-]+)$")
    if not name then return nil end
  end
  return { indent = indent, name = name, value = value, comment = comment }
end

local Conf = {}

function M.parse(text)
  return lines.document(Conf, text)
end

-- Every active line named `name`: { index =, value =, line = } in file order.
function Conf:entries(name)
  return lines.collect(self.list, function(text, index)
    local parsed = directive(text)
    if parsed and parsed.name == name then return { index = index, value = parsed.value, parsed = parsed } end
  end)
end

function Conf:values(name)
  local values = {}
  for _, entry in ipairs(self:entries(name)) do values[#values + 1] = entry.value or "" end
  return values
end

function Conf:get(name)
  local entry = self:entries(name)[1]
  return entry and (entry.value or "") or nil
end

function Conf:has(name)
  return #self:entries(name) > 0
end

-- The line that goes after the last line of `name` (or of the first of `near` found), else at the end.
function Conf:place(name, near)
  for _, key in ipairs({ name, table.unpack(near or {}) }) do
    local entries = self:entries(key)
    if #entries > 0 then return entries[#entries].index end
  end
  return #self.list
end

local function render(parsed, value)
  return parsed.indent .. parsed.name .. (value and ("=" .. value) or "") .. parsed.comment
end

-- Rewrites the line at `index` with a new value, keeping its indentation and trailing comment.
function Conf:replace_at(index, value)
  local parsed = directive(self.list[index].text)
  if parsed.value ~= value then self.list[index].text = render(parsed, value) end
end

function Conf:remove_at(index)
  lines.remove(self.list, index)
end

function Conf:add(name, value, near)
  lines.insert(self.list, self:place(name, near), { name .. (value and ("=" .. value) or "") })
end

-- One value for `name` (nil removes every line of it): the first line is rewritten in place, later ones removed.
function Conf:set(name, value, near)
  local entries = self:entries(name)
  if value == nil then
    for k = #entries, 1, -1 do self:remove_at(entries[k].index) end
  elseif #entries == 0 then
    self:add(name, value, near)
  else
    self:replace_at(entries[1].index, value)
    for k = #entries, 2, -1 do self:remove_at(entries[k].index) end
  end
end

-- A flag (a bare name) on or off.
function Conf:set_flag(name, on, near)
  local entries = self:entries(name)
  if on and #entries == 0 then
    self:add(name, nil, near)
  elseif not on then
    for k = #entries, 1, -1 do self:remove_at(entries[k].index) end
  end
end

-- All the values of a repeated option: lines whose value stays are left alone, the others removed, new values
-- added after the last line of that option in the order given.
function Conf:set_all(name, values, near)
  local wanted = {}
  for _, value in ipairs(values) do wanted[value] = (wanted[value] or 0) + 1 end
  local entries = self:entries(name)
  for k = #entries, 1, -1 do
    local value = entries[k].value or ""
    if (wanted[value] or 0) > 0 then wanted[value] = wanted[value] - 1 else self:remove_at(entries[k].index) end
  end
  local added = {}
  for _, value in ipairs(values) do
    if (wanted[value] or 0) > 0 then
      wanted[value] = wanted[value] - 1
      added[#added + 1] = name .. "=" .. value
    end
  end
  lines.insert(self.list, self:place(name, near), added)
end

-- A value a form may write into a line: one line, no quote and no whitespace (which could start a comment before a
-- '#'). nil when it is good, else why not.
function M.check(value)
  if value:find("[%c\127]") then return "Line breaks and control characters are not allowed." end
  if value:find('"', 1, true) then return "Quotes are not allowed here." end
  if value:find("%s") then return "Spaces are not allowed here." end
  return nil
end

-- What even a value already in the file must satisfy to be written back: one line.
function M.check_line(value)
  if value:find("[%c\127]") then return "Line breaks and control characters are not allowed." end
end

function M.read(path)
  return lines.read_parsed(path or M.PATH, M.parse)
end

-- Writes the file checked by `dnsmasq --test -C` on the candidate: changed (true/false) and the new tag, or nil
-- and dnsmasq's refusal.
function M.write(conf, tag, path)
  -- An unchanged file is not written (nor checked: a file dnsmasq cannot load here stays as it was).
  return lines.write_changed(path or M.PATH, conf, tag, { validate = M.VALIDATOR })
end

-- The edit action of a settings form: `make_form(conf, tag, err)` draws it; on a submit `apply(conf, fields)` checks
-- the fields (returning field errors, or nil after changing conf), then the file is written and checked.
function M.edit(input, make_form, apply)
  local form, conf = cfe.begin_edit(M.read, make_form, input)
  if not conf then return form end
  local errors = apply(conf, form.value)
  if errors and next(errors) then return cfe.fail(form, errors) end
  return cfe.saved(form, "Saved. Restart dnsmasq on the status page to use the new settings.",
    M.write(conf, cfe.expected_tag(form)))
end

-- The lease file: "expiry mac address name client-id" per line ("*" for no name).
function M.leases(text)
  local list = {}
  for line in (text or ""):gmatch("[^\n]+") do
    local expiry, mac, address, name, client = line:match("^(%d+)%s+(%S+)%s+(%S+)%s+(%S+)%s*(%S*)")
    if expiry then
      list[#list + 1] = { expiry = tonumber(expiry), mac = mac, address = address,
        name = name ~= "*" and name or "", client = client ~= "*" and client or "" }
    end
  end
  return list
end

return M
