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
  local conf, tag = chronyconf.read()
  local form = edit_form(conf, tag, not conf and tag or nil)
  if not input.submit or not conf then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local fields = form.value
  local known = {}
  for _, source in ipairs(conf:sources()) do known[source.text] = true end
  local texts = {}
  for number, line in ipairs(fields.sources.value) do
    local text = table.concat(lines.words(line), " ")
    local message = not known[text] and chronyvalid.source(text) or nil
    if message then return cfe.fail(form, { sources = "Line " .. number .. ": " .. message }) end
    texts[#texts + 1] = text
  end
  conf:set_sources(texts)
  local changed, refused = cfe.written(form, chronyconf.write(conf, cfe.expected_tag(form)))
  if refused then return refused end
  return cfe.done(form, changed and "Saved. Restart chronyd on the status page to use the new sources."
    or "Nothing changed.")
end

return M
