-- jsonedit: a JSON file edited in place. `open` reads the text (jsonspans) into a doc the module changes with
-- acf.json.set; `render` writes the text back where every value that did not change keeps its exact bytes
-- (layout, spacing, escapes, key order), a changed member is rewritten alone, a removed one leaves with its comma,
-- and a new one is written in the style of its siblings (their indentation; awall's usual style inside it).
local spans = require("jsonspans")

local M = {}

local json = acf.json

M.INLINE_WIDTH = 120

local function escape(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" elseif c == "\n" then return "\\n"
    elseif c == "\t" then return "\\t" elseif c == "\r" then return "\\r" end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end
M.escape = escape

local function scalar(value)
  local kind = type(value)
  if kind == "string" then return escape(value) end
  if kind == "boolean" then return tostring(value) end
  if value == json.null then return "null" end
  if math.type(value) == "integer" then return string.format("%d", value) end
  if math.type(value) == "float" then
    if value ~= value or value == math.huge or value == -math.huge then error("NaN and infinity are not JSON numbers") end
    local text = string.format("%.17g", value)
    if tonumber(string.format("%.15g", value)) == value then text = string.format("%.15g", value) end
    return text:find("[.eEn]") and text or (text .. ".0")
  end
  error("a " .. kind .. " is not a JSON value")
end

local function is_container(value) return type(value) == "table" and value ~= json.null end

-- One line for a container of scalars (or of containers of scalars, one level); nil when it cannot be one line.
local function inline(value, level)
  local object = json.is_object(value)
  local parts = {}
  local list = object and json.keys(value) or value
  if #list == 0 then return object and "{}" or "[]" end
  for i, item in ipairs(list) do
    local v = object and value[item] or item
    local text
    if is_container(v) then
      if level > 0 then return nil end
      text = inline(v, level + 1)
      if not text then return nil end
    else
      text = scalar(v)
    end
    parts[i] = (object and (escape(item) .. ": ") or "") .. text
  end
  return object and ("{ " .. table.concat(parts, ", ") .. " }") or ("[ " .. table.concat(parts, ", ") .. " ]")
end

-- A new value in awall's usual style, as OrderedJson.Format writes it: `base` is the indentation of the line it
-- starts on, `unit` one level, `depth` its depth in the document, `column` where it starts.
local function fresh(value, base, unit, depth, column)
  if not is_container(value) then return scalar(value) end
  local object = json.is_object(value)
  local list = object and json.keys(value) or value
  if #list == 0 then return object and "{}" or "[]" end
  local simple_array = not object
  if simple_array then for _, v in ipairs(value) do if is_container(v) then simple_array = false end end end
  if depth > 1 or (depth == 1 and simple_array) then
    local line = inline(value, 0)
    if line and column + #line <= M.INLINE_WIDTH then return line end
  end
  local inner = base .. unit
  local lines = {}
  for i, item in ipairs(list) do
    local v = object and value[item] or item
    local head = object and (escape(item) .. ": ") or ""
    lines[i] = inner .. head .. fresh(v, inner, unit, depth + 1, #inner + #head)
  end
  return (object and "{" or "[") .. "\n" .. table.concat(lines, ",\n") .. "\n" .. base .. (object and "}" or "]")
end
M.fresh = fresh

-- The indentation a lead (the whitespace before an entry) gives its line; nil when the entry shares a line.
local function line_indent(lead) return lead:match("\n([ \t]*)$") end

local render

-- A container whose entries changed: the kept entries in their own text, new ones after them like their siblings.
local function render_container(edit, node, value)
  local object = node.kind == "object"
  local entries = node.entries
  if #entries == 0 then return nil end
  local out = {}
  local template = entries[#entries]
  local sibling_indent = line_indent(template.lead)
  local function add(lead, body) out[#out + 1] = { lead = lead, body = body } end
  local function new_body(head, v)
    local base = sibling_indent or edit.base_of(node)
    return head .. fresh(v, base, edit.unit, node.depth + 1, #base + #head)
  end
  if object then
    local present = {}
    for _, entry in ipairs(entries) do
      present[entry.key] = true
      local v = value[entry.key]
      if v ~= nil then add(entry.lead, entry.key_text .. entry.colon .. render(edit, entry.node, v)) end
    end
    for _, key in ipairs(json.keys(value)) do
      if not present[key] then
        add(template.lead, new_body(escape(key) .. template.colon, value[key]))
      end
    end
  else
    -- Items find their original: the same table (an entry the module updated), else an equal unused item, else
    -- the item at the same place when it is of the same kind; the rest are new.
    local used = {}
    local by_table = {}
    for i, entry in ipairs(entries) do
      if type(entry.node.value) == "table" then by_table[entry.node.value] = i end
    end
    local origin = {}
    for i, v in ipairs(value) do
      local j = type(v) == "table" and by_table[v]
      if j and not used[j] then used[j], origin[i] = true, j end
    end
    for i, v in ipairs(value) do
      if not origin[i] then
        local canon = spans.canon(v)
        for j, entry in ipairs(entries) do
          if not used[j] and entry.node.canon == canon then used[j], origin[i] = true, j; break end
        end
      end
    end
    for i, v in ipairs(value) do
      local entry = entries[i]
      if not origin[i] and entry and not used[i] and entry.node.kind == (json.is_object(v) and "object"
          or (is_container(v) and "array" or "scalar")) and entry.node.kind ~= "scalar" then
        used[i], origin[i] = true, i
      end
    end
    for i, v in ipairs(value) do
      local lead = (entries[i] or template).lead
      if origin[i] then add(lead, render(edit, entries[origin[i]].node, v))
      else add(lead, new_body("", v)) end
    end
  end
  if #out == 0 then return object and "{}" or "[]" end
  local parts = {}
  for i, o in ipairs(out) do
    local original = entries[i]
    parts[i] = o.lead .. o.body .. (i < #out and ((original and i < #entries and original.trail or "") .. ",") or "")
  end
  return (object and "{" or "[") .. table.concat(parts) .. node.close .. (object and "}" or "]")
end

render = function(edit, node, value)
  if spans.canon(value) == node.canon then return edit.text:sub(node.s, node.e) end
  local kind = json.is_object(value) and "object" or (is_container(value) and "array" or "scalar")
  if kind == node.kind and kind ~= "scalar" then
    local text = render_container(edit, node, value)
    if text then return text end
  end
  local base = edit.base_of(node)
  return fresh(value, base, edit.unit, node.depth, edit.column_of(node))
end

-- Opens a JSON text for editing: { doc = the value to change, indent = the file's indent unit }.
function M.open(text)
  local root, err = spans.parse(text)
  if not root then return nil, err end
  local edit = { text = text, root = root, doc = root.value }
  -- The indentation of the line a node starts on, and the column it starts at.
  function edit.base_of(node)
    local line_start = node.s
    while line_start > 1 and text:sub(line_start - 1, line_start - 1) ~= "\n" do line_start = line_start - 1 end
    return text:match("^[ \t]*", line_start)
  end
  function edit.column_of(node)
    local line_start = node.s
    while line_start > 1 and text:sub(line_start - 1, line_start - 1) ~= "\n" do line_start = line_start - 1 end
    return node.s - line_start
  end
  -- The indent unit: the first member's indentation, as awall files use two, four spaces or a tab.
  local first = root.entries and root.entries[1]
  local unit = first and line_indent(first.lead)
  edit.unit = (unit and unit ~= "") and unit or "  "
  edit.indent = edit.unit
  return edit
end

-- The text of the edited doc: the original bytes wherever nothing changed.
function M.render(edit)
  local root = edit.root
  return edit.text:sub(1, root.s - 1) .. render(edit, root, edit.doc) .. edit.text:sub(root.e + 1)
end

-- The text of a new document in awall's usual style, ending with a newline.
function M.encode(doc, unit)
  return fresh(doc, "", unit or "  ", 0, 0) .. "\n"
end

return M
