-- config: chrony's time sources (server, pool, peer lines) in /etc/chrony/chrony.conf, changed in place; every save
-- is checked with chronyd -p -f first.
local cfe = require("cfe")
local chronyconf = require("chronyconf")
local chronyvalid = require("chronyvalid")
local lines = require("lines")

local M = {}

local function edit_form(conf, tag, err)
  local texts = {}
  for _, source in ipairs(conf and conf:sources() or {}) do texts[#texts + 1] = source.text end
  return cfe.form{
    label = "Time sources", option = { "Save" }, errtxt = err,
    descr = "Lines of " .. chronyconf.PATH .. " that name where chronyd takes the time from; other lines stay as "
      .. "they are. Saving checks the new file with chronyd -p; restart chronyd on the status page to use it.",
    value = {
      sources = cfe.list{ label = "Servers, pools and peers", value = texts, seq = 1,
        descr = "One per line: pool pool.ntp.org iburst, server 192.168.1.1 iburst prefer, peer ntp2.lan." },
      tag = cfe.tag(tag),
    },
  }
end

function M.edit(ctx, input)
  local form, conf = cfe.begin_edit(chronyconf.read, edit_form, input)
  if not conf then return form end
  local known = {}
  for _, source in ipairs(conf:sources()) do known[source.text] = true end
  local texts = {}
  for number, line in ipairs(form.value.sources.value) do
    local text = table.concat(lines.words(line), " ")
    local message = not known[text] and chronyvalid.source(text) or nil
    if message then return cfe.fail(form, { sources = "Line " .. number .. ": " .. message }) end
    texts[#texts + 1] = text
  end
  conf:set_sources(texts)
  return cfe.saved(form, "Saved. Restart chronyd on the status page to use the new sources.",
    chronyconf.write(conf, cfe.expected_tag(form)))
end

return M
