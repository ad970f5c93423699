-- keys: root's authorized_keys, one key per line with its fingerprint shown. A key the admin keeps keeps its
-- bytes (options, comment); a removed key loses its line; a new key is checked (type, blob, the type the blob names)
-- and appended. Removing the last key root logs in with is refused when no other way in remains. Under
-- confirm-or-rollback (the manifest): a wrong key change comes back by itself unless it is kept.
local cfe = require("cfe")
local sshdconf = require("sshdconf")
local authkeys = require("authkeys")
local lockout = require("lockout")

local M = {}

local function rows(keys)
  local list = {}
  for _, entry in ipairs(keys and keys:keys() or {}) do
    list[#list + 1] = { fingerprint = authkeys.fingerprint(entry.key), type = entry.key.type,
      comment = entry.key.comment, options = entry.key.options }
  end
  return list
end

local function edit_form(keys, tag, err)
  local texts = {}
  for _, entry in ipairs(keys and keys:keys() or {}) do texts[#texts + 1] = entry.text end
  return cfe.form{
    label = "Root's SSH keys", option = { "Save" }, errtxt = err,
    descr = "The public keys that may log in as root (" .. authkeys.ROOT_KEYS .. "). Comments in the file and the "
      .. "options of kept keys stay. Keep the change within the countdown or it is undone.",
    value = {
      keys = cfe.list{ label = "Keys", seq = 1, value = texts,
        descr = "One public key per line, as in id_ed25519.pub: ssh-ed25519 AAAA... me@laptop. Delete a line to "
          .. "remove that key." },
      fingerprints = cfe.structure{ label = "Fingerprints", seq = 2, readonly = true, value = rows(keys),
        columns = { "fingerprint", "type", "comment", "options" },
        descr = "As ssh-keygen -l shows them; compare with the fingerprint on the machine the key belongs to." },
      tag = cfe.hidden{ value = tag or "" },
    },
  }
end

-- The submitted lines, each kept line as it is, each new one checked; nil and the field error on a bad one.
local function wanted_lines(fields, keys)
  local known, seen, texts = {}, {}, {}
  for _, entry in ipairs(keys:keys()) do known[entry.text] = true end
  for number, line in ipairs(fields.keys.value) do
    local text = line:match("^%s*(.-)%s*$")
    local message = not known[text] and authkeys.check_new(text) or nil
    if message then return nil, "Line " .. number .. ": " .. message end
    local key = authkeys.parse_key(text)
    if key and seen[key.blob] then return nil, "Line " .. number .. ": this key is listed twice." end
    if key then seen[key.blob] = true end
    texts[#texts + 1] = text
  end
  return texts
end

function M.edit(ctx, input)
  local keys, tag = authkeys.read(authkeys.ROOT_KEYS)
  local form = edit_form(keys, tag, not keys and tag or nil)
  if not input.submit or not keys then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local fields = form.value
  local texts, message = wanted_lines(fields, keys)
  if not texts then return cfe.fail(form, { keys = message }) end
  local before = #keys:keys()
  keys:set(texts)
  local conf = sshdconf.read()
  if conf then
    local others = lockout.other_users()
    local refusal = lockout.check(lockout.ways_in(conf:login_settings(), before, others),
      lockout.ways_in(conf:login_settings(), #keys:keys(), others))
    if refusal then return cfe.fail(form, { keys = refusal }, refusal) end
  end
  local changed, tag_or_err = authkeys.write(authkeys.ROOT_KEYS, keys, fields.tag.value)
  if changed == nil then return cfe.fail(form, nil, tag_or_err) end
  fields.tag.value = tag_or_err
  fields.fingerprints.value = rows(keys)
  return cfe.done(form, changed and "Saved. Check that you can still log in, then keep the change."
    or "Nothing changed.")
end

return M
