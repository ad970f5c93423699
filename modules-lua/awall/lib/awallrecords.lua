-- awallrecords: the rule sections of a policy (policy, filter, snat, dnat) as rule tables: one row per entry, one
-- cell per key a line shows. A row is turned back into the entry's line (`in=lan out=wan action=accept`, the keys in
-- awalllines' order), so the lossless writing of awalllines stays underneath: a row equal to an entry's own line
-- keeps that entry untouched and unchecked, a changed row updates its entry in place, keys the table does not show
-- stay. Every cell of a new or changed row is checked on its own, and a wrong one is marked on its cell.
local cfe = require("cfe")
local awallvalues = require("awallvalues")
local awalllines = require("awalllines")

local M = {}

local json = acf.json
local SECTIONS, render_value, check_value = awallvalues.SECTIONS, awallvalues.render_value, awallvalues.check_value

local LABELS = {
  ["in"] = "In zone", out = "Out zone", src = "Source", dest = "Destination", service = "Service", action = "Action",
  ["conn-limit"] = "Connection limit", ["flow-limit"] = "Flow limit", ["to-addr"] = "To address", ["to-port"] = "To port",
}
local ACTIONS = { "accept", "drop", "reject", "tarpit" }

-- A column's name in the form: awall's key with '_' for '-' (column names travel as <field>.<column>).
local function column_of(key) return (key:gsub("%-", "_")) end

local function entries_of(doc, section)
  local entries = doc[section]
  if json.is_object(entries) then return { entries } end
  return type(entries) == "table" and entries or {}
end

-- The rows a section's entries show; an entry with none of the shown keys has no row (it stays as it is).
local function rows_of(doc, section)
  local keys, rows = SECTIONS[section].keys, {}
  for _, entry in ipairs(entries_of(doc, section)) do
    if json.is_object(entry) then
      local row, any = {}, false
      for _, key in ipairs(keys) do
        local text = entry[key] ~= nil and render_value(key, entry[key]) or nil
        row[column_of(key)] = text or ""
        any = any or text ~= nil
      end
      if any then rows[#rows + 1] = row end
    end
  end
  return rows
end

-- The records field of a section. The action column is a choice; an action awall takes that the list lacks (a
-- variable) is offered too, so an unchanged save keeps it.
function M.field(doc, section, args)
  local rows, columns = rows_of(doc, section), {}
  for _, key in ipairs(SECTIONS[section].keys) do
    local column = { name = column_of(key), label = LABELS[key] or key, type = "text" }
    if key == "action" then
      local options, seen = {}, {}
      for _, a in ipairs(ACTIONS) do options[#options + 1] = a; seen[a] = true end
      for _, r in ipairs(rows) do
        if r.action ~= "" and not seen[r.action] then options[#options + 1] = r.action; seen[r.action] = true end
      end
      column.type, column.option = "select", options
      if section == "policy" then column.default = "accept" end
    end
    columns[#columns + 1] = column
  end
  return cfe.records{ label = args.label, descr = args.descr, seq = args.seq, value = rows, fields = columns }
end

-- A row as the entry's line: `key=value` for each filled cell, in the section's key order.
local function line_of(section, row)
  local parts = {}
  for _, key in ipairs(SECTIONS[section].keys) do
    local text = row[column_of(key)] or ""
    if text ~= "" then parts[#parts + 1] = key .. "=" .. text end
  end
  return table.concat(parts, " ")
end

-- Why a cell of a new or changed row cannot be written, or nil.
local function cell_problem(key, text, ctx)
  if text:find("%s") then return "No spaces: separate several values with commas." end
  return check_value(key, text, ctx)
end

-- The section's lines from the submitted rows (ready for awalllines.set_section), or nil with the wrong cells marked
-- on `field` (its errtxt names the first). `doc` is the policy before this section changes.
function M.lines(doc, section, field, ctx)
  local original = {}
  for _, line in ipairs(awalllines.section_lines(doc, section)) do original[line] = true end
  local lines = {}
  for i, row in ipairs(field.value) do
    -- Cells arrive as typed; spaces around a value are not part of it.
    for name, text in pairs(row) do
      if type(text) == "string" and not name:find("^@") then row[name] = text:match("^%s*(.-)%s*$") end
    end
    local line = line_of(section, row)
    lines[i] = line
    if not original[line] then
      local first = nil
      for _, key in ipairs(SECTIONS[section].keys) do
        local text = row[column_of(key)] or ""
        first = first or key
        if text ~= "" then
          local message = cell_problem(key, text, ctx)
          if message then cfe.cell_error(field, i, column_of(key), message) end
        end
      end
      if line == "" then
        cfe.cell_error(field, i, column_of(first), "An empty row: fill it in or remove it.")
      elseif section == "policy" and (row.action or "") == "" then
        cfe.cell_error(field, i, "action", "A policy needs an action.")
      elseif section == "dnat" and (row.to_addr or "") == "" then
        cfe.cell_error(field, i, "to_addr", "A port forward needs an address to forward to.")
      end
    end
  end
  if field.errtxt then return nil end
  return lines
end

return M
