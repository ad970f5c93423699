-- cfe: ACF's Configuration Framework Entities. Constructors for every type, and handle_form, which applies a
-- submit to a form with ACF's rules (booleans, multi, list one item per line, group.field names, readonly ignored)
-- and checks what every field of a type must satisfy before a module's own validation runs.
local M = {}

M.types = { "text", "longtext", "password", "hidden", "select", "multi", "boolean", "list", "integer",
  "group", "form", "link", "structure", "raw", "file", "chart", "records", "qrcode" }

for _, kind in ipairs(M.types) do
  M[kind] = function(entity)
    entity = entity or {}
    entity.type = kind
    return entity
  end
end

-- ACF's cfe(): an entity of any type, text by default.
function M.new(entity)
  entity = entity or {}
  entity.type = entity.type or "text"
  return entity
end

local TRUE_WORDS = { ["true"] = true, on = true, yes = true, ["1"] = true }

local function as_list(value)
  if type(value) == "table" then
    local items = {}
    for _, v in ipairs(value) do items[#items + 1] = tostring(v) end
    return items
  end
  return value ~= nil and { tostring(value) } or {}
end

-- A list arrives as one text with one item per line (the browser) or as several values (the API).
local function lines(value)
  local items = {}
  if type(value) == "table" then
    for _, v in ipairs(value) do items[#items + 1] = tostring(v) end
    return items
  end
  for line in tostring(value or ""):gmatch("[^\n]+") do
    line = line:gsub("\r$", "")
    if line:match("%S") then items[#items + 1] = line end
  end
  return items
end

local function first(value)
  if type(value) == "table" then return value[1] end
  return value
end

local function option_values(entity)
  local allowed = {}
  for _, option in ipairs(entity.option or {}) do
    if type(option) == "table" then
      if type(option.value) == "table" then -- an option group
        for _, inner in ipairs(option.value) do
          allowed[type(inner) == "table" and tostring(inner.value) or tostring(inner)] = true
        end
      else
        allowed[tostring(option.value)] = true
      end
    else
      allowed[tostring(option)] = true
    end
  end
  return allowed
end

-- No control character may reach a config file through a one-line field (a newline would start a new directive).
-- A field marked `tabs = true` may hold tabs: formats that read a tab as a space say so (an ifupdown command line).
local function has_control(text, allow_lines, allow_tabs)
  if allow_lines then return text:find("[%z\1-\8\11\12\14-\31\127]") ~= nil end
  if allow_tabs then return text:find("[%z\1-\8\10-\31\127]") ~= nil end
  return text:find("[%c\127]") ~= nil
end

local checks = {}

function checks.select(entity)
  if entity.value ~= nil and entity.value ~= "" and not option_values(entity)[entity.value] then
    return "Choose one of the offered values."
  end
end

function checks.multi(entity)
  local allowed = option_values(entity)
  for _, item in ipairs(entity.value) do
    if not allowed[item] then return "'" .. item .. "' is not one of the offered values." end
  end
end

function checks.integer(entity)
  local text = entity.value
  if text == nil or text == "" then return nil end
  local number = math.tointeger(tonumber(text))
  if not number or not tostring(text):match("^%s*[-+]?%d+%s*$") then return "Enter a whole number." end
  if entity.min and number < entity.min then return "The smallest allowed value is " .. entity.min .. "." end
  if entity.max and number > entity.max then return "The largest allowed value is " .. entity.max .. "." end
  entity.value = number
end

function checks.list(entity)
  for _, item in ipairs(entity.value) do
    if has_control(item, false, entity.tabs) then return "An item contains a control character." end
  end
end

local function check_text(entity)
  if type(entity.value) == "string" and has_control(entity.value, entity.type == "longtext", entity.tabs) then
    return entity.type == "longtext" and "The text contains control characters."
      or "Line breaks and control characters are not allowed here."
  end
end

-- records: a table the admin edits row by row (a rule table). `fields` is the ordered list of its columns, each a
-- field of its own ({ name =, label =, type = "text"|"select"|"integer", option =, min =, max = }); `value` the rows,
-- each a table column name -> text. The browser (and the API) submit one list per column, <name>.<column>, and the
-- row count as <name>.#. Every cell is checked by its column's type; a cell's error is its row's "@err <column>".
local MAX_RECORDS = 10000

-- Marks one cell of a records field as wrong (also for a module's own checks); the field's errtxt names the first.
function M.cell_error(field, row, column, message)
  local record = field.value[row]
  if not record then return end
  record["@err " .. column] = message
  if not field.errtxt then
    local label = column
    for _, f in ipairs(field.fields or {}) do
      if f.name == column then label = f.label or column end
    end
    field.errtxt = "Row " .. row .. ", " .. label .. ": " .. message
  end
end

local function records_from(field, input, key)
  local count = math.tointeger(tonumber(first(input[key .. ".#"]) or ""))
  if not count then return end
  if count < 0 or count > MAX_RECORDS then
    field.errtxt = "Too many rows."
    return
  end
  local columns = {}
  for _, column in ipairs(field.fields or {}) do columns[column.name] = as_list(input[key .. "." .. column.name]) end
  local rows = {}
  for i = 1, count do
    local row = {}
    for name, cells in pairs(columns) do row[name] = cells[i] or "" end
    rows[i] = row
  end
  field.value = rows
end

local function check_records(field)
  for i, row in ipairs(field.value or {}) do
    for _, column in ipairs(field.fields or {}) do
      local cell = { type = column.type or "text", value = row[column.name] or "", option = column.option,
        min = column.min, max = column.max }
      local message = (checks[cell.type] or check_text)(cell)
      if message then M.cell_error(field, i, column.name, message) end
    end
  end
  return field.errtxt == nil
end

local function apply(entity, input, prefix)
  local ok = true
  for name, field in pairs(entity.value or {}) do
    if type(field) == "table" and not field.readonly then
      local key = prefix .. name
      local kind, given = field.type or "text", input[key]
      if kind == "group" then
        ok = apply(field, input, key .. ".") and ok
      elseif kind == "boolean" then
        field.value = TRUE_WORDS[tostring(first(given) or "")] or false
      elseif kind == "multi" then
        field.value = as_list(given)
      elseif kind == "list" then
        if given ~= nil then field.value = lines(given) end
      elseif kind == "file" then
        -- An upload travels as base64 (binary files arrive intact); the module gets the file's exact bytes.
        field.value = ""
        local text = first(given)
        if text ~= nil and tostring(text) ~= "" then
          local bytes, err = acf.text.base64_decode((tostring(text):gsub("%s", "")))
          if bytes then field.value = bytes else field.errtxt, ok = "The upload did not arrive intact: " .. err, false end
        end
        goto next_field
      elseif kind == "records" then
        records_from(field, input, key)
        if field.errtxt or not check_records(field) then ok = false end
        goto next_field
      elseif kind == "form" or kind == "link" or kind == "structure" or kind == "raw" or kind == "chart"
        or kind == "qrcode" then
        -- display only: never taken from input
      elseif given ~= nil then
        field.value = tostring(first(given))
      end
      local check = checks[kind] or check_text
      local message = field.value ~= nil and check(field) or nil
      if message then
        field.errtxt = message
        ok = false
      end
    end
    ::next_field::
  end
  return ok
end

-- Applies a submit to `form` in place; returns false when a field failed its type's checks (errtxt is set on it).
function M.handle_form(form, input)
  form.submitted = true
  return apply(form, input or {}, "")
end

-- Marks a submitted form as done; `message` is shown as the result.
function M.done(form, message)
  form.submitted = true
  form.errtxt = nil
  form.descr = message
  return form
end

-- Marks a submitted form as failed: `errors` maps dotted field names to messages; `message` is the form's error.
function M.fail(form, errors, message)
  form.submitted = true
  for name, text in pairs(errors or {}) do
    local field = form
    for part in name:gmatch("[^.]+") do
      field = field and type(field.value) == "table" and field.value[part] or nil
    end
    if field then field.errtxt = text end
  end
  form.errtxt = message or "Some values are not valid; nothing was saved."
  return form
end

-- The input's value `name` when it is a string (a link's query, a text field), else `default`: what an action reads
-- of its input before the form is drawn.
function M.query(input, name, default)
  local value = input[name]
  if type(value) == "string" then return value end
  return default
end

-- The start every edit action shares: reads the model (`read()` answers model, tag; or nil, message), draws the form
-- with `draw(model, tag, err, ...)` (err: the read's message when there is no model) and applies a submit to it.
-- Answers the form and the model when there is a submit whose fields passed their types' checks, for the action to
-- check and save; else the form alone (as drawn, or failed), for the action to return:
--   local form, conf = cfe.begin_edit(exampleconf.read, form_of, input)
--   if not conf then return form end
function M.begin_edit(read, draw, input, ...)
  local model, tag = read()
  local form = draw(model, tag, not model and tag or nil, ...)
  if not input.submit or not model then return form end
  if not M.handle_form(form, input) then return M.fail(form) end
  return form, model
end

-- The tagged form: a form that edits a file carries the file's tag (the broker's version of it) in a hidden field,
-- and its save is written against that tag, so a change made by someone else in between is refused, not lost.
--   value = { ..., tag = cfe.tag(tag) }                         -- the file's tag as read when drawing the form
--   local changed, refused = cfe.written(form, acf.fs.write(path, text, cfe.expected_tag(form)))
--   if refused then return refused end                          -- the broker's message (a conflict, the validator)
-- `name` is the hidden field's name inside form.value ("tag" by default).

-- The hidden field that carries a tag (empty when the file has none).
function M.tag(tag)
  return M.hidden{ value = tag or "" }
end

-- The tag a save must find: the one the form was drawn with, else `fallback` (the tag read now, "absent" for a file
-- that must not exist yet, or nil for none: an API caller that sent no tag).
function M.expected_tag(form, fallback, name)
  local field = form.value[name or "tag"]
  local value = field and field.value
  if value ~= nil and value ~= "" then return value end
  return fallback
end

-- The broker's answer to a write (changed, tag_or_err): on a refusal (changed nil) it returns nil and the form failed
-- with the broker's message; else `changed` (false when the bytes were the same), the form carrying the new tag.
function M.written(form, changed, tag_or_err, name)
  if changed == nil then return nil, M.fail(form, nil, tag_or_err) end
  form.value[name or "tag"].value = tag_or_err
  return changed
end

-- The end of a save whose form shows only a sentence afterwards: the broker's answer to the write (changed,
-- tag_or_err) as cfe.written takes it; a refusal fails the form with the broker's message, else the form is done with
-- `message`, or "Nothing changed." when the bytes were the same:
--   return cfe.saved(form, "Saved.", exampleconf.write(conf, cfe.expected_tag(form)))
function M.saved(form, message, changed, tag_or_err)
  local written, refused = M.written(form, changed, tag_or_err)
  if refused then return refused end
  return M.done(form, written and message or "Nothing changed.")
end

return M
