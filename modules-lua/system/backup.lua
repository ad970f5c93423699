-- backup: download the box's lbu overlay (what a commit would write now, as `lbu package` makes it), and restore
-- one: Check lists what it would change; Restore writes the files through the broker under confirm-or-rollback
-- (the manifest's "confirm"), so a restore that cuts the admin off comes back unless it is kept.
local cfe = require("cfe")
local overlay = require("overlay")

local M = {}

local MAX_UPLOAD = 1024 * 1024

local function hostname()
  local text = acf.fs.read("/etc/hostname")
  local name = text and text:match("^%s*([%w%-%.]+)") or "localhost"
  return name
end

function M.download(ctx, input)
  local status = acf.lbu.status() or {}
  local form = cfe.form{
    label = "Download a backup",
    descr = "The backup is the box's lbu overlay (apkovl): every file lbu keeps, as a commit would write it now ("
      .. #status .. " not yet committed). It holds secrets (passwords, keys): keep it safe. Taking it is audited.",
    option = { "Create backup" },
    value = {},
  }
  if not input.submit then return form end
  local archive, err = acf.lbu.package()
  if not archive then return cfe.fail(form, {}, err) end
  form.value.archive = cfe.file{ label = hostname() .. ".apkovl.tar.gz", value = archive, readonly = true, seq = 1,
    descr = #archive .. " bytes." }
  return cfe.done(form, "The backup is ready: download it below.")
end

local function restore_form(input)
  return cfe.form{
    label = "Restore a backup",
    descr = "Upload an apkovl (" .. (MAX_UPLOAD // 1024) .. " KiB at most). Check lists what it would change; Restore "
      .. "writes the files, under confirm-or-rollback. Nothing is committed with lbu until you commit.",
    option = { "Check", { value = "Restore", confirm = "Write the files of this backup over the box's? They roll "
      .. "back unless you keep the change in time." } },
    value = {
      upload = cfe.file{ label = "Backup (apkovl)", seq = 1 },
      archive = cfe.hidden{ value = cfe.query(input, "archive", "") },
    },
  }
end

-- The uploaded archive's bytes: a new upload, else the one checked before (carried in the hidden field).
local function uploaded(form)
  local bytes = form.value.upload.value
  if bytes ~= nil and bytes ~= "" then return bytes end
  if form.value.archive.value ~= "" then return acf.text.base64_decode(form.value.archive.value) end
  return nil, "Choose a backup file first."
end

local function read_current(path)
  return (acf.fs.read(path))
end

-- All or nothing: a write that fails puts back the files this restore wrote before it.
local function undo(writes, count)
  for k = count, 1, -1 do
    local write = writes[k]
    if write.old == nil then acf.fs.remove(write.path) else acf.fs.write(write.path, write.old) end
  end
end

function M.restore(ctx, input)
  local form = restore_form(input)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form, {}, "The upload did not arrive intact; nothing was written.") end
  local bytes, why = uploaded(form)
  form.value.upload.value = ""
  if not bytes then return cfe.fail(form, { upload = why }) end
  if #bytes > MAX_UPLOAD then
    return cfe.fail(form, { upload = "The file is larger than " .. (MAX_UPLOAD // 1024) .. " KiB." }, "Nothing was written.")
  end
  local members, err = acf.lbu.members(bytes)
  if not members then return cfe.fail(form, { upload = err }, "Nothing was written.") end
  local plan = overlay.plan(members, overlay.rules(read_current(overlay.LBU_LIST)), read_current)
  form.value.archive.value = overlay.base64(bytes)
  form.value.changes = cfe.structure{ label = "What the backup would change", seq = 2, value = plan.rows,
    columns = { "path", "change", "detail" } }
  if plan.refused > 0 then
    form.value.archive.value = ""
    return cfe.fail(form, { upload = plan.refused .. " member(s) of this archive are not what lbu writes (see the "
      .. "list)." }, "This backup is refused; nothing was written.")
  end
  if input.submit ~= "Restore" then
    return cfe.done(form, #plan.writes .. " file(s) would be written. Press Restore to write them.")
  end
  for k, write in ipairs(plan.writes) do
    local options = write.old == nil and { mode = string.format("%04o", write.mode & 511) } or nil
    local ok, werr = acf.fs.write(write.path, write.content, nil, options)
    if ok == nil then
      undo(plan.writes, k - 1)
      return cfe.fail(form, {}, "Writing " .. write.path .. " failed: " .. tostring(werr) .. ". The files written "
        .. "before it were put back; nothing of this backup stays.")
    end
  end
  form.value.archive.value = ""
  return cfe.done(form, #plan.writes .. " file(s) restored. Keep the change in time, or it rolls back; commit with "
    .. "lbu to make it last.")
end

return M
