-- lbu: Alpine's local backup. Saved files are live but lost at reboot until committed into the apkovl.
local cfe = require("cfe")
local shellvars = require("shellvars")

local M = {}

local CHANGE = { A = "added", U = "updated", D = "deleted" }
local CONF = "/etc/lbu/lbu.conf"

local function status_rows()
  local rows = {}
  local entries, err = acf.lbu.status()
  if not entries then return rows, err end
  for _, entry in ipairs(entries) do
    rows[#rows + 1] = { change = CHANGE[entry.change] or entry.change, path = "/" .. entry.path,
      ["path@href"] = "/alpine-conf/lbu/diff?path=/" .. entry.path }
  end
  return rows
end

function M.status(ctx)
  local rows, err = status_rows()
  return cfe.structure{ label = "Uncommitted changes", value = rows, columns = { "change", "path" }, errtxt = err,
    descr = #rows == 0 and "Everything is committed." or (#rows .. " files differ from the last commit.") }
end

-- Every file a commit would include (lbu list).
function M.list(ctx)
  local rows = {}
  local files, err = acf.lbu.list()
  for _, path in ipairs(files or {}) do rows[#rows + 1] = { path = "/" .. path } end
  return cfe.structure{ label = "Files in a commit", value = rows, columns = { "path" }, errtxt = err,
    descr = #rows .. " files are protected and would be saved." }
end

-- One file's change against the last commit, as a unified diff.
function M.diff(ctx, input)
  local path = cfe.query(input, "path", "")
  local committed = acf.lbu.committed(path) or ""
  local current = acf.fs.read(path) or ""
  local diff = acf.text.diff(committed, current, "committed" .. path, "current" .. path)
  return cfe.raw{ label = "Changes of " .. path, value = diff ~= "" and diff or "(no change)" }
end

function M.commit(ctx, input)
  local rows, status_err = status_rows()
  local form = cfe.form{
    label = "Commit",
    option = { "Commit" },
    descr = "Writes the changed files into the apkovl archive so that they survive a reboot.",
    value = {
      password = cfe.password{ label = "Password", seq = 1,
        descr = "Only to encrypt the archive; leave empty for a plain one." },
      keep_old = cfe.boolean{ label = "Keep the old archive as a backup", value = false, seq = 2,
        descr = "After a host name change lbu finds the archive under the old name and refuses to commit beside it "
          .. "(its -d would delete it, possibly your only backup). This renames it to a dated backup "
          .. "(OLDNAME.YYYYMMDDhhmmss.tar.gz, listed under Backups, where Revert can bring it back) and commits "
          .. "under the new name." },
      changes = cfe.structure{ label = "Uncommitted changes", value = rows, columns = { "change", "path" }, seq = 3,
        errtxt = status_err },
      output = cfe.longtext{ label = "Output", readonly = true, value = "", seq = 4 },
    },
  }
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local password = form.value.password.value
  local result, err = acf.lbu.commit(password ~= "" and password or nil, form.value.keep_old.value)
  form.value.password.value = ""
  if not result then return cfe.fail(form, nil, err) end
  form.value.output.value = (result.stdout or "") .. (result.stderr or "")
  if result.status ~= 0 and (result.stderr or ""):find("apkovl file(s) were found", 1, true) then
    -- lbu's own answer asks for -d, which deletes the old archive: say what happened and the safe way out.
    return cfe.fail(form, { keep_old = "Tick this to keep the old archive as a backup and commit." },
      "Not committed: an archive under another name is in the way (after a host name change, the old one). "
        .. "lbu would delete it with -d; Acf keeps it as a dated backup instead when you tick 'Keep the old archive as a backup'.")
  end
  if result.status ~= 0 then return cfe.fail(form, nil, "lbu commit failed.") end
  form.value.changes.value = status_rows()
  return cfe.done(form, "Committed.")
end

function M.backups(ctx, input)
  local rows, names = {}, {}
  local backups, backups_err = acf.lbu.backups()
  for _, backup in ipairs(backups or {}) do
    rows[#rows + 1] = { name = backup.name, size = tostring(backup.size), current = backup.current and "current" or "" }
    if not backup.current then names[#names + 1] = backup.name end
  end
  local form = cfe.form{
    label = "Backups",
    option = { { value = "Revert", confirm = "Revert to the chosen archive? It becomes the current one "
      .. "(the next boot restores it); the current one is kept as a backup." } },
    errtxt = backups_err,
    value = {
      backups = cfe.structure{ label = "Archives", value = rows, columns = { "name", "size", "current" }, seq = 1 },
      backup = cfe.select{ label = "Revert to", value = "", option = names, seq = 2,
        descr = "Makes this archive the current one; the current one is kept as a backup." },
    },
  }
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  if form.value.backup.value == "" then return cfe.fail(form, { backup = "Choose a backup." }) end
  local result, err = acf.lbu.revert(form.value.backup.value)
  if not result then return cfe.fail(form, nil, err) end
  if result.status ~= 0 then return cfe.fail(form, nil, (result.stderr or "") .. (result.stdout or "")) end
  return cfe.done(M.backups(ctx, {}), "Reverted to " .. form.value.backup.value .. ".")
end

-- Include and exclude rules (/etc/apk/protected_paths.d/lbu.list).
function M.rules(ctx, input)
  local text = acf.fs.read("/etc/apk/protected_paths.d/lbu.list") or ""
  local rows = {}
  for line in text:gmatch("[^\n]+") do
    local sign, path = line:match("^([+%-])(.+)$")
    if sign then rows[#rows + 1] = { rule = sign == "+" and "include" or "exclude", path = "/" .. path } end
  end
  local form = cfe.form{
    label = "Include and exclude",
    option = { "Include", "Exclude", { value = "Remove rule", confirm = "Remove the rule for this path? "
      .. "lbu then decides by its defaults whether the path is saved." } },
    value = {
      path = cfe.text{ label = "Path", value = "", seq = 1, descr = "An absolute path, e.g. /root/.ssh" },
      rules = cfe.structure{ label = "Rules", value = rows, columns = { "rule", "path" }, seq = 2 },
    },
  }
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local path = form.value.path.value
  if not path:match("^/[^%s]+$") or path:find("/%.%.") then
    return cfe.fail(form, { path = "Enter an absolute path without '..' or spaces." })
  end
  local change = ({ Include = acf.lbu.include, Exclude = acf.lbu.exclude, ["Remove rule"] = acf.lbu.remove_rule })[input.submit]
  if not change then return cfe.fail(form, nil, "Unknown action.") end
  local result, err = change(path)
  if not result then return cfe.fail(form, nil, err) end
  if result.status ~= 0 then return cfe.fail(form, nil, (result.stderr or "") .. (result.stdout or "")) end
  return cfe.done(M.rules(ctx, {}), input.submit .. ": " .. path)
end

-- "" is no DEFAULT_CIPHER line (lbu's own default): a file that only has the commented example keeps it so on an
-- unchanged save, instead of gaining "DEFAULT_CIPHER=aes-256-cbc" (issue 14).
local CIPHERS = { { value = "", label = "lbu's default (aes-256-cbc)" }, "aes-256-cbc", "aes-192-cbc", "aes-128-cbc",
  "bf-cbc", "des3" }

-- lbu.conf's settings, edited in place: comments, order and other lines stay as they are.
function M.config(ctx, input)
  local text, tag = acf.fs.read(CONF)
  local file = shellvars.parse(text or "")
  local cipher = file:get("DEFAULT_CIPHER") or ""
  local ciphers = { table.unpack(CIPHERS) }
  local offered = cipher == ""
  for _, option in ipairs(CIPHERS) do offered = offered or option == cipher end
  if not offered then ciphers[#ciphers + 1] = cipher end -- the file's own (openssl knows more): kept as it is
  local form = cfe.form{
    label = "lbu settings",
    option = { "Save" },
    errtxt = not text and tag or nil,
    value = {
      media = cfe.text{ label = "Media (LBU_MEDIA)", value = file:get("LBU_MEDIA") or "", seq = 1,
        descr = "The mounted medium lbu commits to, e.g. usb or mmcblk0p1; empty to use the backup folder." },
      backupdir = cfe.text{ label = "Backup folder (LBU_BACKUPDIR)", value = file:get("LBU_BACKUPDIR") or "", seq = 2 },
      backup_limit = cfe.integer{ label = "Backups to keep (BACKUP_LIMIT)", value = file:get("BACKUP_LIMIT") or "",
        min = 0, max = 1000, seq = 3 },
      encryption = cfe.boolean{ label = "Encrypt (ENCRYPTION)", value = (file:get("ENCRYPTION") or "") ~= "", seq = 4 },
      cipher = cfe.select{ label = "Cipher (DEFAULT_CIPHER)", value = cipher,
        option = ciphers, seq = 5 },
      tag = cfe.tag(tag),
    },
  }
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local v = form.value
  local errors = {}
  if v.media.value ~= "" and not v.media.value:match("^[%w._-]+$") then errors.media = "A device name such as usb or sda1." end
  if v.backupdir.value ~= "" and not v.backupdir.value:match("^/[%w._/-]*$") then
    errors.backupdir = "An absolute path of letters, digits and . _ / -."
  end
  if next(errors) then return cfe.fail(form, errors) end
  file:set("LBU_MEDIA", v.media.value)
  file:set("LBU_BACKUPDIR", v.backupdir.value)
  file:set("BACKUP_LIMIT", v.backup_limit.value ~= "" and tostring(v.backup_limit.value) or "")
  file:set("ENCRYPTION", v.encryption.value and "$DEFAULT_CIPHER" or "")
  file:set("DEFAULT_CIPHER", v.cipher.value)
  return cfe.saved(form, "Settings saved.", acf.fs.write(CONF, file:text(), cfe.expected_tag(form)))
end

return M
