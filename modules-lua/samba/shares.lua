-- shares: the shared folders of /etc/samba/smb.conf (every section but [global]): one share added, changed or removed
-- by its name, in place; a share's folder must exist, or is made through the broker where the manifest lets the
-- module make folders. Every save is checked with testparm -s first.
local cfe = require("cfe")
local lines = require("lines")
local smbconf = require("smbconf")
local smbfields = require("smbfields")
local smbvalid = require("smbvalid")

local M = {}

-- Where a share's folder may be (the manifest's read capability), and where a missing one is made (its write one).
local READABLE = { "/srv/", "/mnt/", "/media/" }
local MAKEABLE = "/srv/samba/"

local SPECS = {
  { field = "path", name = "path", names = { path = true, directory = true }, label = "Folder", check = smbvalid.path,
    descr = "The folder shared, under " .. table.concat(READABLE, ", ") .. "; a missing folder under " .. MAKEABLE
      .. " is made." },
  { field = "comment", name = "comment", names = { comment = true }, label = "Comment", check = smbvalid.text,
    descr = "What clients show next to the share." },
  { field = "read_only", name = "read only", kind = "boolean", default = true, label = "Read only",
    names = { readonly = true, writable = "inverse", writeable = "inverse", writeok = "inverse" },
    descr = "Clients may only read (Samba's default); off lets the users below write." },
  { field = "guest_ok", name = "guest ok", names = { guestok = true, public = true }, kind = "boolean",
    default = false, label = "Guests allowed", descr = "No password needed (the server's Map to guest must be Bad User)." },
  { field = "valid_users", name = "valid users", names = { validusers = true }, label = "Valid users",
    check = smbvalid.users, descr = "Who may connect: user names and @groups (alice bob @office). Empty: everyone." },
  { field = "create_mask", name = "create mask", names = { createmask = true, createmode = true },
    label = "Create mask", check = smbvalid.mask, descr = "Permission bits new files may get (0664)." },
  { field = "directory_mask", name = "directory mask", names = { directorymask = true, directorymode = true },
    label = "Directory mask", check = smbvalid.mask, descr = "Permission bits new folders may get (0775)." },
  { field = "browseable", name = "browseable", names = { browseable = true, browsable = true }, kind = "boolean",
    default = true, label = "Listed", descr = "Shown in the server's list of shares (browseable)." },
}

local function shares(conf)
  local list, seen = {}, {}
  for _, section in ipairs(conf and conf:sections() or {}) do
    local key = section.name:lower()
    if key ~= "global" and not seen[key] then
      seen[key] = true
      local path = conf:find(key, SPECS[1].names)
      local comment = conf:find(key, SPECS[2].names)
      list[#list + 1] = { name = section.name, path = path and path.value or "", comment = comment and comment.value or "" }
    end
  end
  return list
end

local function find(conf, name)
  for _, share in ipairs(shares(conf)) do
    if name and share.name:lower() == name:lower() then return share end
  end
end

local function edit_form(conf, tag, err, name)
  local share = conf and find(conf, name)
  local rows = {}
  for _, item in ipairs(shares(conf)) do
    local encoded = item.name:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end)
    rows[#rows + 1] = { name = item.name, ["name@href"] = "/samba/shares/edit?name=" .. encoded, path = item.path,
      comment = item.comment }
  end
  local value = smbfields.fields(share and conf, share and share.name or "", SPECS)
  value.shares = cfe.structure{ label = "Shares", value = rows, seq = -2, columns = { "name", "path", "comment" } }
  value.name = cfe.text{ label = "Share name", value = share and share.name or name or "", seq = -1,
    descr = "Save changes this share, or adds it when there is none of that name. Click a name above to edit it." }
  value.tag = cfe.tag(tag)
  return cfe.form{
    label = "Shares", errtxt = err, value = value,
    option = { "Save", { value = "Remove", confirm = "Remove this share? Its folder and files stay; clients lose it." } },
    descr = "Sections of " .. smbconf.PATH .. "; other lines stay as they are. An empty field removes the setting "
      .. "(Samba's default applies). Saving checks the file with testparm -s; reload samba on the Status tab to use it.",
  }
end

local function under(path, folders)
  for _, folder in ipairs(folders) do
    if path:sub(1, #folder) == folder then return true end
  end
  return false
end

-- The share's folder: there, or made under MAKEABLE; else a message for the field.
local function ensure_folder(path)
  if path:find("%%") then return nil end -- a variable (%U, %S): one folder per user, not checked here
  if not under(path .. "/", READABLE) then
    return "A share's folder lies under " .. table.concat(READABLE, ", ") .. "."
  end
  local status = acf.fs.stat(path)
  if status then return status.type ~= "directory" and (path .. " is not a folder.") or nil end
  if not under(path .. "/", { MAKEABLE }) then
    return path .. " does not exist; only folders under " .. MAKEABLE .. " are made here."
  end
  local ok, err = acf.fs.mkdir(path)
  return not ok and err or nil
end

function M.edit(ctx, input)
  local form, conf = cfe.begin_edit(smbconf.read, edit_form, input, cfe.query(input, "name"))
  if not conf then return form end
  local fields = form.value
  local name = fields.name.value or ""
  local share = find(conf, name)
  if input.submit == "Remove" then
    if not share then return cfe.fail(form, { name = "There is no share named " .. name .. "." }) end
    conf:remove_section(share.name)
    return smbconf.save(form, conf, "Share " .. share.name .. " removed.",
      function(saved) return edit_form(conf, saved, nil, nil) end)
  end
  local message = not share and smbvalid.share_name(name)
  if message then return cfe.fail(form, { name = message }) end
  local section = share and share.name or name
  local before = smbfields.fields(share and conf, section, SPECS)
  if not share and (fields.path.value or "") == "" then return cfe.fail(form, { path = "A new share needs its folder." }) end
  local errors = smbfields.apply(conf, section, SPECS, fields, before)
  if errors then return cfe.fail(form, errors) end
  local path = lines.trim(fields.path.value or "")
  if path ~= before.path.value and path ~= "" then
    local folder_error = ensure_folder(path)
    if folder_error then return cfe.fail(form, { path = folder_error }) end
  end
  return smbconf.save(form, conf, "Share " .. section .. " saved.",
    function(saved) return edit_form(conf, saved, nil, section) end)
end

return M
