-- keys: a user's authorized_keys (root's, or a login user's: ?user=NAME), one key per line with its fingerprint
-- shown. A key the admin keeps keeps its bytes (options, comment); a removed key loses its line; a new key is checked
-- (type, blob, the type the blob names) and appended. Removing the last key that is a way in is refused when no other
-- way in remains. Under confirm-or-rollback (the manifest): a wrong key change comes back by itself unless it is kept.
-- Another user's file is edited only where it exists: it must belong to that user (sshd reads it as the user), and the
-- broker keeps a file's owner but does not give a new one away.
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

local function edit_form(page, keys, tag, err)
  local texts = {}
  for _, entry in ipairs(keys and keys:keys() or {}) do texts[#texts + 1] = entry.text end
  local choices = {}
  for _, user in ipairs(page.users) do choices[#choices + 1] = { value = user.name, label = user.name } end
  return cfe.form{
    label = page.user == "root" and "Root's SSH keys" or "SSH keys", option = { "Save" }, errtxt = err,
    descr = "The public keys that may log in as " .. page.user .. " (" .. (page.path or "?") .. "). Comments in the "
      .. "file and the options of kept keys stay. Keep the change within the countdown or it is undone.",
    value = {
      user = cfe.select{ label = "User", seq = 0, value = page.user, option = choices,
        descr = "Root and the login users of /etc/passwd whose home is in /home; open a user's keys with "
          .. "/openssh/keys/edit?user=NAME." },
      keys = cfe.list{ label = "Keys", seq = 1, value = texts,
        descr = "One public key per line, as in id_ed25519.pub: ssh-ed25519 AAAA... me@laptop. Delete a line to "
          .. "remove that key." },
      fingerprints = cfe.structure{ label = "Fingerprints", seq = 2, readonly = true, value = rows(keys),
        columns = { "fingerprint", "type", "comment", "options" },
        descr = "As ssh-keygen -l shows them; compare with the fingerprint on the machine the key belongs to." },
      tag = cfe.tag(tag),
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

-- The ways in before and after a change of `user`'s keys from `before` to `after` keys.
local function lockout_refusal(conf, user, before, after)
  local others = lockout.other_users()
  local root_keys = user == "root" and { before, after } or nil
  if not root_keys then
    local root = authkeys.read(authkeys.ROOT_KEYS)
    local count = root and #root:keys() or 0
    root_keys = { count, count }
  end
  local function ways(n, keys)
    return lockout.ways_in(conf:login_settings(), root_keys[n], others,
      user ~= "root" and { name = user, count = keys } or nil)
  end
  return lockout.check(ways(1, before), ways(2, after))
end

local function page_of(input)
  local users = authkeys.users()
  local user = type(input.user) == "string" and input.user ~= "" and input.user or "root"
  return { users = users, user = user, path = authkeys.path_of(users, user) }
end

function M.edit(ctx, input)
  local page = page_of(input)
  if not page.path then
    local message = page.user .. " is not root or a login user with a home in /home."
    local form = edit_form(page, nil, nil, message)
    return input.submit and cfe.fail(form, nil, message) or form
  end
  local keys, tag = authkeys.read(page.path)
  local form = edit_form(page, keys, tag, not keys and tag or nil)
  if not input.submit or not keys then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local fields = form.value
  if fields.user.value ~= page.user then return cfe.fail(form, { user = "Open that user's page first." }) end
  local texts, message = wanted_lines(fields, keys)
  if not texts then return cfe.fail(form, { keys = message }) end
  if tag == "" and page.user ~= "root" and #texts > 0 then
    return cfe.fail(form, { keys = page.user .. " has no " .. page.path .. " yet. It must belong to " .. page.user
      .. ": make it as that user (ssh-copy-id, or touch it and chmod 600), then add keys here." })
  end
  local before = #keys:keys()
  keys:set(texts)
  local conf = sshdconf.read()
  if conf then
    local refusal = lockout_refusal(conf, page.user, before, #keys:keys())
    if refusal then return cfe.fail(form, { keys = refusal }, refusal) end
  end
  local changed, refused = cfe.written(form, authkeys.write(page.path, keys, cfe.expected_tag(form)))
  if refused then return refused end
  fields.fingerprints.value = rows(keys)
  return cfe.done(form, changed and "Saved. Check that you can still log in, then keep the change."
    or "Nothing changed.")
end

return M
