-- hostname: the system's host name in /etc/hostname, applied to the running system with `hostname -F`.
local cfe = require("cfe")
local valid = require("valid")

local M = {}

-- The current name, the file's tag (which guards the save against a change made in between) and the file's own
-- text around the name (its leading blanks and its line end, CRLF or none), which a new name keeps.
local function current()
  local text, tag_or_err = acf.fs.read("/etc/hostname")
  if not text then return nil, nil, tag_or_err end
  local lead, name, trail = text:match("^(%s*)(.-)(%s*)$")
  if name == "" then lead, trail = "", "\n" end
  return name, tag_or_err, nil, lead, trail
end

function M.read(ctx)
  local name, _, err = current()
  return cfe.text{ label = "Hostname", value = name or "", errtxt = err }
end

local function edit_form(name, tag, err)
  return cfe.form{
    label = "Edit Hostname",
    option = { "Save" },
    errtxt = err,
    value = {
      hostname = cfe.text{ label = "Hostname", value = name or "", seq = 1,
        descr = "1 to 63 letters, digits and '-'; it cannot start or end with '-'." },
      tag = cfe.tag(tag),
    },
  }
end

function M.edit(ctx, input)
  local name, tag, err, lead, trail = current()
  local form = edit_form(name, tag, err)
  if not input.submit then return form end

  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local new_name, message = valid.hostname(form.value.hostname.value)
  if not new_name then return cfe.fail(form, { hostname = message }) end
  -- The same name is no change, whatever the file's spacing or line end (CRLF, no final newline): leave it be.
  if new_name == name then return cfe.done(form, "Nothing changed.") end

  -- The tag the page was loaded with: if the file changed since, the broker refuses rather than lose that change.
  local changed, refused = cfe.written(form,
    acf.fs.write("/etc/hostname", (lead or "") .. new_name .. (trail or "\n"), cfe.expected_tag(form, tag)))
  if refused then return refused end
  -- The same name again wrote nothing (the broker compares bytes): the running name is left alone too.
  if not changed then return cfe.done(form, "Nothing changed.") end

  local applied = acf.exec{ "hostname", "-F", "/etc/hostname" }
  if applied and applied.status ~= 0 then
    return cfe.done(form, "Hostname saved as " .. new_name .. ", but applying it failed: " .. (applied.stderr or ""))
  end
  return cfe.done(form, "Hostname set to " .. new_name)
end

return M
