-- awallfiles: Alpine Wall's policy files as Acf finds them: optional policies (enabled when /etc/awall/NAME.json
-- exists), files in /etc/awall itself (always on), private ones (read only when another policy imports them), the
-- set awall would load, and the services it knows. Files are read with jsonedit, so an edit can keep their layout.
local jsonedit = require("jsonedit")

local M = {}

M.DIR = "/etc/awall"
M.OPTIONAL = "/etc/awall/optional"
M.PRIVATE = "/etc/awall/private"
M.SERVICES = { "/usr/share/awall/mandatory/services.json", "/etc/awall/private/services.json" }

local json = acf.json

-- One action reads each policy once: the library lives as long as the action's run, and so does this cache
-- (emptied when the action applies a change). Callers treat the docs it returns as read-only.
local cache = { files = {}, list = nil }

function M.read(path)
  local hit = cache.files[path]
  if hit then return hit.file, hit.err end
  local file, err
  local text, tag = acf.fs.read(path)
  if not text then
    err = tag
  else
    local edit, message = jsonedit.open(text)
    if not edit then err = path .. ": " .. message
    elseif not json.is_object(edit.doc) then err = path .. ": a policy is a JSON object"
    else file = { doc = edit.doc, indent = edit.indent, text = text, tag = tag, path = path } end
  end
  cache.files[path] = { file = file, err = err }
  return file, err
end

-- A working copy of a file for an edit (the cached doc stays as read): { doc = ..., indent = ... }; its text
-- comes back with M.render, which keeps the file's bytes wherever the edit changed nothing.
function M.edit_of(file) return jsonedit.open(file.text) end
M.render = jsonedit.render

-- The text of a new policy, in awall's usual style.
function M.encode(doc, indent) return jsonedit.encode(doc, indent) end

-- Forgets what this run read (after it changed files).
function M.forget() cache.files, cache.list = {}, nil end

local function json_names(dir)
  local names = {}
  for _, entry in ipairs(acf.fs.list(dir) or {}) do
    local name = entry.name:match("^(.+)%.json$")
    if name and (entry.type == "file" or entry.type == "symlink") then names[#names + 1] = { name = name, type = entry.type } end
  end
  return names
end

-- Every policy: optional ones (enabled when /etc/awall/NAME.json exists), files in /etc/awall itself (always on),
-- and private ones (only read when another policy imports them).
function M.list()
  if cache.list then return cache.list end
  local enabled, list, seen = {}, {}, {}
  for _, e in ipairs(json_names(M.DIR)) do enabled[e.name] = e.type end
  for _, e in ipairs(json_names(M.OPTIONAL)) do
    list[#list + 1] = { name = e.name, kind = "optional", path = M.OPTIONAL .. "/" .. e.name .. ".json", enabled = enabled[e.name] ~= nil }
    seen[e.name] = true
  end
  for name, kind in pairs(enabled) do
    if not seen[name] and kind == "file" then
      list[#list + 1] = { name = name, kind = "always", path = M.DIR .. "/" .. name .. ".json", enabled = true }
    end
  end
  for _, e in ipairs(json_names(M.PRIVATE)) do
    list[#list + 1] = { name = e.name, kind = "private", path = M.PRIVATE .. "/" .. e.name .. ".json", enabled = false }
  end
  table.sort(list, function(a, b) if a.kind ~= b.kind then return a.kind < b.kind end return a.name < b.name end)
  cache.list = list
  return list
end

function M.find(name)
  for _, p in ipairs(M.list()) do if p.name == name then return p end end
  return nil
end

-- The docs awall would load, in order: enabled and always-on policies, with their imports (optional or private).
-- `override` maps a name to a doc to use instead of the file (the candidate of an edit), `switch` name -> enabled.
function M.active_set(override, switch)
  local docs, loaded = {}, {}
  local by_name = {}
  for _, p in ipairs(M.list()) do by_name[p.name] = by_name[p.name] or p end
  local function load(name, depth)
    if loaded[name] or depth > 8 then return end
    loaded[name] = true
    local doc = override and override[name]
    if not doc then
      local p = by_name[name]
      local file = p and M.read(p.path)
      doc = file and file.doc
    end
    if not doc then return end
    local imports = doc.import
    if type(imports) == "string" then imports = { imports } end
    for _, i in ipairs(type(imports) == "table" and imports or {}) do
      if type(i) == "string" then load(i, depth + 1) end
    end
    docs[#docs + 1] = { name = name, doc = doc }
  end
  local names = {}
  for _, p in ipairs(M.list()) do
    local on = p.enabled
    if switch and switch[p.name] ~= nil then on = switch[p.name] end
    if on then names[#names + 1] = p.name end
  end
  if override then
    for name in pairs(override) do
      if switch and switch[name] then names[#names + 1] = name end
    end
  end
  table.sort(names)
  for _, name in ipairs(names) do load(name, 0) end
  return docs
end

-- The names a policy imports: one string or a list of strings.
function M.import_names(doc)
  local imports = doc.import
  if type(imports) == "string" then return { imports } end
  local names = {}
  if type(imports) == "table" then for _, i in ipairs(imports) do if type(i) == "string" then names[#names + 1] = i end end end
  return names
end

-- The docs a policy imports (optional or private policies by name), one level.
function M.imports_of(doc)
  local docs = {}
  for _, name in ipairs(M.import_names(doc)) do
    local p = M.find(name)
    local file = p and M.read(p.path)
    if file then docs[#docs + 1] = { name = name, doc = file.doc } end
  end
  return docs
end

-- Services awall knows (its mandatory services.json) merged with those the docs define.
function M.known_services(docs)
  local known = {}
  for _, path in ipairs(M.SERVICES) do
    local file = M.read(path)
    if file and json.is_object(file.doc.service) then
      for name, def in pairs(file.doc.service) do if type(name) == "string" then known[name] = def end end
    end
  end
  for _, d in ipairs(docs or {}) do
    if type(d.doc.service) == "table" then
      for name, def in pairs(d.doc.service) do if type(name) == "string" then known[name] = def end end
    end
  end
  return known
end
return M
