-- tools: ping, traceroute and DNS lookup of one target. Each form runs its command once per submit; the output
-- streams to the page while it runs and stays on the form afterwards. One command at a time per user (the broker).
local cfe = require("cfe")
local probe = require("probe")

local M = {}

local LABELS = {
  ping = { title = "Ping", descr = "Sends 4 echo requests (10 s at most)." },
  traceroute = { title = "Traceroute", descr = "Shows the route to the target, up to 20 hops (one probe per hop, 50 s at most)." },
  lookup = { title = "DNS lookup", descr = "Asks DNS for the name's addresses (or an address's name) with nslookup." },
}

local function form(tool, input)
  local value = {
    target = cfe.text{ label = "Target", seq = 1, value = cfe.query(input, "target", ""),
      descr = "A host name or an IPv4 or IPv6 address." },
  }
  if tool == "lookup" then
    value.server = cfe.text{ label = "DNS server", seq = 2, value = cfe.query(input, "server", ""),
      descr = "Optional: the server to ask (an IP address); empty asks the system's resolvers." }
  end
  return cfe.form{ label = LABELS[tool].title, descr = LABELS[tool].descr, option = { "Run" }, value = value }
end

local function action(tool)
  return function(ctx, input)
    local f = form(tool, input)
    if not input.submit then return f end
    if not cfe.handle_form(f, input) then return cfe.fail(f, {}, "Some values are not valid; nothing was run.") end
    local errors = {}
    local target, why = probe.target(f.value.target.value)
    if not target then errors.target = why end
    local server = ""
    if f.value.server then
      server, why = probe.server(f.value.server.value)
      if not server then errors.server = why end
    end
    if next(errors) then
      return cfe.fail(f, errors, "Some values are not valid; nothing was run.")
    end
    local text, err, result = probe.run(tool, target, server)
    if not text then return cfe.fail(f, {}, err) end
    f.value.output = cfe.raw{ label = "Output", seq = 3, value = text }
    local how = result.simulated and "simulated on the demo host" or ("exit status " .. result.status)
    return cfe.done(f, LABELS[tool].title .. " of " .. target .. " finished (" .. how .. ").")
  end
end

M.ping = action("ping")
M.traceroute = action("traceroute")
M.lookup = action("lookup")

return M
