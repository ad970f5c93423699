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
  -- Reads the model and draws the form; on a submit, handle_form has refused what no field of its type may hold (a
  -- text field: line breaks, control characters); a module checks what its own values must be on top of that
  -- (valid.hostname, valid.port, ...).
  local form, conf = cfe.begin_edit(exampleconf.read, form_of, input)
  if not conf then return form end
  conf:set("greeting", form.value.greeting.value)
  -- Written against the tag the form was drawn with: a change made in between is refused, not lost.
  return cfe.saved(form, "Saved.", exampleconf.write(conf, cfe.expected_tag(form)))
end

return M
