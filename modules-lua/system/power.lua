-- power: reboot or shut the box down. Each button asks first; the command waits 3 s (-d 3) so the answer reaches
-- the browser, which then goes to /restarting, a page that waits for the box to answer again.
local cfe = require("cfe")

local M = {}

local COMMANDS = {
  Reboot = { argv = { "reboot", "-d", "3" }, what = "reboot", done = "The box is restarting." },
  ["Shut down"] = { argv = { "poweroff", "-d", "3" }, what = "shutdown", done = "The box is shutting down." },
}

function M.control(ctx, input)
  local form = cfe.form{
    label = "Reboot or shut down",
    descr = "Reboot restarts the box; everyone loses their connection to it until it is back. Shut down powers it "
      .. "off: it stays off until someone switches it on where it stands. Changes not committed with lbu are lost "
      .. "either way on a diskless box.",
    option = {
      { value = "Reboot", confirm = "Reboot the box now? Every connection through it drops until it is back." },
      { value = "Shut down", confirm = "Shut the box down now? It stays off until someone powers it on where it stands." },
    },
    value = {},
  }
  if not input.submit then return form end
  local command = COMMANDS[input.submit]
  if not command then return cfe.fail(form, {}, "Press Reboot or Shut down.") end
  local result, err = acf.exec(command.argv)
  if not result then return cfe.fail(form, {}, err) end
  if result.status ~= 0 then
    return cfe.fail(form, {}, command.argv[1] .. " failed (status " .. result.status .. "): " .. result.stderr)
  end
  form = cfe.done(form, command.done .. (result.simulated and " (Simulated: this is the demo host.)" or ""))
  form.redirect = "/restarting?what=" .. command.what
  return form
end

return M
