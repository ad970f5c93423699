-- settings: the greeting of /etc/example.conf. The shape of every edit action: read the model, build the form, and
-- on a submit check the input, change the model and write it back through the broker (conflict-checked by its tag).
local cfe = require("cfe")
local exampleconf = require("exampleconf")

local M = {}

local function form_of(conf, tag, err)
  return cfe.form{
    label = "Example settings", option = { "Save" }, errtxt = err,
    value = {
      greeting = cfe.text{ label = "Greeting", value = conf and conf:get("greeting") or "", seq = 1,
        descr = "Shown to whoever logs in. One line." },
      tag = cfe.tag(tag),
    },
  }
end

function M.edit(ctx, input)
  local conf, tag = exampleconf.read()
  local form = form_of(conf, tag, not conf and tag or nil)
  if not input.submit or not conf then return form end
  -- handle_form refuses what no field of its type may hold (a text field: line breaks, control characters); a
  -- module checks what its own values must be on top of that (valid.hostname, valid.port, ...).
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  conf:set("greeting", form.value.greeting.value)
  -- Written against the tag the form was drawn with: a change made in between is refused, not lost.
  local changed, refused = cfe.written(form, exampleconf.write(conf, cfe.expected_tag(form)))
  if refused then return refused end
  return cfe.done(form, changed and "Saved." or "Nothing changed.")
end

return M
