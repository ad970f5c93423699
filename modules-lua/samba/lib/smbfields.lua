-- smbfields: form fields bound to the parameters of one smb.conf section. A field shows the value Samba uses (the
-- section's last setting, by any of the parameter's names); on save only a field whose submitted value differs from
-- the shown one touches the file, so an unchanged save changes nothing, however the file spells its values.
local cfe = require("cfe")
local lines = require("lines")
local smbconf = require("smbconf")

local M = {}

-- The value a spec shows for a section: text as written, a boolean as Samba reads it (inverse synonyms turned).
local function shown(conf, section, spec)
  local entry = conf and conf:find(section, spec.names)
  if spec.kind == "boolean" then
    if not entry then return spec.default end
    local value = smbconf.boolean(entry.value)
    if value == nil then return spec.default end
    if spec.names[entry.key] == "inverse" then value = not value end
    return value
  end
  return entry and entry.value or ""
end

-- A select's options: Samba's default (empty), the spec's choices, and the file's own value when it is another.
local function options(spec, current)
  local list = { { value = "", label = "Samba's default" .. (spec.default_label and " (" .. spec.default_label .. ")" or "") } }
  local known = false
  for _, choice in ipairs(spec.choices) do
    list[#list + 1] = choice
    if choice:lower() == current:lower() then known = true end
  end
  if current ~= "" and not known then list[#list + 1] = current end
  return list
end

-- The cfe fields of `specs` for a section, keyed by each spec's field name.
function M.fields(conf, section, specs)
  local fields = {}
  for seq, spec in ipairs(specs) do
    local value = shown(conf, section, spec)
    local field
    if spec.kind == "boolean" then
      field = cfe.boolean{ label = spec.label, value = value }
    elseif spec.kind == "select" then
      local chosen = value
      for _, choice in ipairs(spec.choices) do
        if choice:lower() == value:lower() then chosen = choice end
      end
      field = cfe.select{ label = spec.label, value = chosen, option = options(spec, value) }
    else
      field = cfe.text{ label = spec.label, value = value }
    end
    field.seq, field.descr = seq + (spec.seq or 0), spec.descr
    fields[spec.field] = field
  end
  return fields
end

-- Applies the submitted fields to the section: each changed field is checked and set (an empty text removes the
-- parameter, so Samba's default applies). Returns a table of field errors, or nil when everything was applied.
-- `before` holds the fields as shown before the submit (M.fields of the same file).
function M.apply(conf, section, specs, fields, before)
  local errors, changes = {}, {}
  for _, spec in ipairs(specs) do
    local value, old = fields[spec.field].value, before[spec.field].value
    if type(value) == "string" then value = lines.trim(value) end
    local same = value == old or (spec.kind == "select" and type(old) == "string" and value:lower() == old:lower())
    if not same then
      local message = spec.kind ~= "boolean" and value ~= "" and spec.check and spec.check(value) or nil
      if message then errors[spec.field] = message else changes[#changes + 1] = { spec = spec, value = value } end
    end
  end
  if next(errors) then return errors end
  for _, change in ipairs(changes) do
    local spec, value = change.spec, change.value
    if spec.kind == "boolean" then
      conf:set(section, spec.names, spec.name, value and "yes" or "no", value)
    else
      conf:set(section, spec.names, spec.name, value ~= "" and value or nil)
    end
  end
  return nil
end

return M
