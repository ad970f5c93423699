-- auth: basic authentication with squid's basic_ncsa_auth helper, and its users in /etc/squid/passwd
-- ("user:hash" lines, SHA-512-crypt hashes that crypt(3) checks on musl and glibc).
local cfe = require("cfe")
local squidconf = require("squidconf")

local M = {}

local PASSWD = "/etc/squid/passwd"
local HELPER = "/usr/lib/squid/basic_ncsa_auth"
local ACL = "authenticated"

-- passwd as lines; users are the "name:hash" ones, comments and other lines stay as they are.
local function parse_passwd(text)
  local lines = {}
  for line in text:gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
  local rest = text:match("([^\n]+)$")
  if rest then lines[#lines + 1] = rest end
  return lines
end

local function user_of(line)
  return line:match("^([^:#%s][^:]*):")
end

local function read_passwd()
  local text, tag = acf.fs.read(PASSWD)
  if text then return parse_passwd(text), tag end
  if not acf.fs.stat(PASSWD) then return {}, "" end -- no users yet
  return nil, nil, tag
end

local function user_rows(lines)
  local rows = {}
  for _, line in ipairs(lines or {}) do
    local user = user_of(line)
    if user then rows[#rows + 1] = { user = user } end
  end
  return rows
end

local function auth_form(conf, tag, lines, passwd_tag, err)
  local program = conf and conf:get("auth_param basic program")
  return cfe.form{
    label = "Authentication",
    option = { "Save", "Add user", { value = "Remove user", confirm = "Remove this proxy user? They can no "
      .. "longer log in to the proxy." } },
    errtxt = err,
    descr = "Basic authentication asks browsers for a user name and password, checked by basic_ncsa_auth against "
      .. PASSWD .. ". Enabling it defines the ACL '" .. ACL .. "'; add 'allow " .. ACL .. "' to the access rules "
      .. "to require a login. Add user sets the password of a user who already exists.",
    value = {
      enabled = cfe.boolean{ label = "Basic authentication", value = program ~= nil, seq = 1,
        descr = program and ("auth_param basic program " .. squidconf.normal(program)) or nil },
      realm = cfe.text{ label = "Realm", value = conf and conf:get("auth_param basic realm")
        and squidconf.normal(conf:get("auth_param basic realm")) or "", seq = 2,
        descr = "The text browsers show in the login prompt; empty uses squid's default." },
      users = cfe.structure{ label = "Users in " .. PASSWD, value = user_rows(lines), columns = { "user" }, seq = 3 },
      user = cfe.text{ label = "User", value = "", seq = 4, descr = "For Add user and Remove user." },
      password = cfe.password{ label = "Password", value = "", seq = 5, descr = "For Add user." },
      tag = cfe.tag(tag),
      passwd_tag = cfe.tag(passwd_tag),
    },
  }
end

-- squid.conf with basic authentication switched as asked; nil and a message when it cannot be.
local function switch(conf, enable, realm)
  local enabled = conf:get("auth_param basic program") ~= nil
  if enable and not enabled then
    conf:set("auth_param basic program", HELPER .. " " .. PASSWD, { before = "acl" })
  end
  if enable then
    local current = conf:get("auth_param basic realm")
    if realm == "" then
      conf:set("auth_param basic realm", nil)
    elseif not current or squidconf.normal(current) ~= squidconf.normal(realm) then
      conf:set("auth_param basic realm", realm, { before = "acl" })
    end
    -- The ACL comes with switching authentication on; a file whose authentication is already on has its own
    -- proxy_auth ACLs (radius setups name theirs), and an unchanged save adds nothing to it (issue 14).
    if enabled then return true end
    local acl = conf:acl(ACL)
    if not acl then
      conf:set_acl(ACL, "proxy_auth", { "REQUIRED" })
    elseif acl.type ~= "proxy_auth" then
      return nil, "An ACL '" .. ACL .. "' of type " .. tostring(acl.type) .. " already exists; rename or remove it first."
    end
    return true
  end
  if not enabled then return true end
  -- proxy_auth ACLs need a scheme: without another one they go too, and are refused while rules use them.
  local other_scheme = false
  for _, scheme in ipairs(conf:directives("auth_param")) do
    local name = squidconf.words(scheme.args)[1]
    if name ~= "basic" then other_scheme = true end
  end
  if not other_scheme then
    for _, acl in ipairs(conf:acls()) do
      if acl.type == "proxy_auth" or acl.type == "proxy_auth_regex" then
        local uses = conf:acl_uses(acl.name)
        if #uses > 0 then
          local where = {}
          for _, use in ipairs(uses) do where[#where + 1] = use.name .. " " .. squidconf.normal(use.args) .. " (line " .. use.index .. ")" end
          return nil, "The ACL '" .. acl.name .. "' needs authentication and is used by: " .. table.concat(where, "; ")
            .. ". Change those rules first."
        end
        conf:remove_acl(acl.name)
      end
    end
  end
  conf:set_all("auth_param basic", {})
  return true
end

local function valid_user(user)
  if user == "" then return nil, "Enter a user name." end
  if #user > 64 or not user:match("^[%w._@%-]+$") then
    return nil, "A user name has up to 64 letters, digits, '.', '_', '@' and '-'."
  end
  return user
end

function M.edit(ctx, input)
  local conf, tag = squidconf.read()
  local lines, passwd_tag, passwd_err = read_passwd()
  local err = not conf and tag or passwd_err
  local form = auth_form(conf, tag, lines, passwd_tag, err)
  if not input.submit or not conf then return form end
  local ok = cfe.handle_form(form, input)
  local fields = form.value
  local password = fields.password.value or ""
  fields.password.value = "" -- a password never goes back to the page
  if not ok then return cfe.fail(form) end

  if input.submit == "Save" then
    local realm = fields.realm.value or ""
    if realm ~= "" then
      local message = squidconf.check_args(realm)
      if message then return cfe.fail(form, { realm = message }) end
      if #realm > 200 then return cfe.fail(form, { realm = "A realm has at most 200 characters." }) end
    end
    local switched, message = switch(conf, fields.enabled.value, squidconf.normal(realm))
    if not switched then return cfe.fail(form, { enabled = message }) end
    local changed, refused = cfe.written(form, squidconf.write(conf, cfe.expected_tag(form)))
    if refused then return refused end
    local done = auth_form(conf, fields.tag.value, lines, passwd_tag)
    return cfe.done(done, changed and "Authentication saved. Apply the configuration on the status page to use it."
      or "Nothing changed.")
  end

  if not lines then return cfe.fail(form, nil, passwd_err) end
  local user, message = valid_user(fields.user.value or "")
  if not user then return cfe.fail(form, { user = message }) end
  local found
  for i, line in ipairs(lines) do
    if user_of(line) == user then found = found or i end
  end
  local result
  if input.submit == "Add user" then
    if password == "" then return cfe.fail(form, { password = "Enter a password." }) end
    local hash, problem = acf.text.crypt(password)
    if not hash then return cfe.fail(form, { password = problem }) end
    if found then
      lines[found] = user .. ":" .. hash
      result = "Password of " .. user .. " changed."
    else
      lines[#lines + 1] = user .. ":" .. hash
      result = "User " .. user .. " added."
    end
  elseif input.submit == "Remove user" then
    if not found then return cfe.fail(form, { user = "There is no user '" .. user .. "'." }) end
    local kept = {}
    for _, line in ipairs(lines) do
      if user_of(line) ~= user then kept[#kept + 1] = line end
    end
    lines = kept
    result = "User " .. user .. " removed."
  else
    return form
  end
  local text = #lines > 0 and (table.concat(lines, "\n") .. "\n") or ""
  local changed, tag_or_err = acf.fs.write(PASSWD, text, cfe.expected_tag(form, nil, "passwd_tag"))
  local _, refused = cfe.written(form, changed, tag_or_err, "passwd_tag")
  if refused then return refused end
  return cfe.done(auth_form(conf, fields.tag.value, lines, fields.passwd_tag.value), result)
end

return M
