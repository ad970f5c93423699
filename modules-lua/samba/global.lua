-- global: the [global] settings an admin touches (workgroup, server string, interfaces, security, guests, log
-- level), changed in place in /etc/samba/smb.conf; every save is checked with testparm -s first.
local cfe = require("cfe")
local smbconf = require("smbconf")
local smbfields = require("smbfields")
local smbvalid = require("smbvalid")

local M = {}

local SPECS = {
  { field = "workgroup", name = "workgroup", names = { workgroup = true }, label = "Workgroup",
    check = smbvalid.workgroup, descr = "The Windows workgroup or domain name (WORKGROUP); up to 15 characters." },
  { field = "server_string", name = "server string", names = { serverstring = true }, label = "Server string",
    check = smbvalid.text, descr = "The description clients show next to the server (%h is the host name)." },
  { field = "interfaces", name = "interfaces", names = { interfaces = true }, label = "Interfaces",
    check = smbvalid.interfaces, descr = "Interfaces or networks to serve: eth0 192.168.1.0/24 lo. Empty: all." },
  { field = "bind_interfaces_only", name = "bind interfaces only", names = { bindinterfacesonly = true },
    kind = "boolean", default = false, label = "Bind to these interfaces only",
    descr = "Listen only on the interfaces above (include lo for local tools such as smbpasswd)." },
  { field = "security", name = "security", names = { security = true }, kind = "select", label = "Security",
    choices = { "auto", "user", "domain", "ads" }, default_label = "auto",
    descr = "user: Samba's own users (the Users tab); domain and ads: accounts of a Windows domain." },
  { field = "map_to_guest", name = "map to guest", names = { maptoguest = true }, kind = "select",
    label = "Map to guest", choices = { "Never", "Bad User", "Bad Password", "Bad Uid" }, default_label = "Never",
    descr = "Bad User: a login with an unknown user name becomes the guest (needed for guest shares)." },
  { field = "log_level", name = "log level", names = { loglevel = true, debuglevel = true }, label = "Log level",
    check = smbvalid.log_level, descr = "0 (errors only) to 10; class:level pairs may follow (1 auth:3)." },
}

local function edit_form(conf, tag, err)
  local value = smbfields.fields(conf, "global", SPECS)
  value.tag = cfe.tag(tag)
  return cfe.form{
    label = "Samba server", option = { "Save" }, errtxt = err, value = value,
    descr = "Settings of [global] in " .. smbconf.PATH .. "; every other line stays as it is. An empty field "
      .. "removes the setting (Samba's default applies). Saving checks the new file with testparm -s; restart "
      .. "samba on the status page to use it.",
  }
end

function M.edit(ctx, input)
  local form, conf = cfe.begin_edit(smbconf.read, edit_form, input)
  if not conf then return form end
  local before = smbfields.fields(conf, "global", SPECS)
  local errors = smbfields.apply(conf, "global", SPECS, form.value, before)
  if errors then return cfe.fail(form, errors) end
  return smbconf.save(form, conf, "Saved. Restart samba on the status page to use the new settings.")
end

return M
