-- wgstanza: a WireGuard interface's stanza in /etc/network/interfaces, as Alpine's ifupdown-ng brings it up
-- (interfaces-wireguard(5)): `auto wg0` / `iface wg0` / `use wireguard` (ifupdown-ng then runs `wg setconf wg0
-- /etc/wireguard/wg0.conf`) and its `address` lines. Older stanzas that run `wg setconf` in a pre-up line, or name the
-- file with wireguard-config-path, are read the same way. Edited through the shared lossless interfaces model.
local interfaces = require("interfaces")

local M = {}

M.PATH = "/etc/network/interfaces"

function M.read()
  local text, tag = acf.fs.read(M.PATH)
  if not text then return interfaces.parse(""), "" end
  return interfaces.parse(text), tag, text
end

-- The first stanza of the interface (any family), or nil.
function M.find(model, name)
  for _, stanza in ipairs(model:list()) do
    if stanza.kind == "iface" and stanza.name == name then return stanza end
  end
end

-- Whether a stanza brings up a WireGuard interface: `use wireguard`, wireguard-config-path, or `wg setconf` run by
-- one of its commands.
function M.is_wireguard(stanza)
  for _, option in ipairs(stanza.options) do
    if (option.key == "use" and option.value == "wireguard") or option.key == "wireguard-config-path"
      or option.value:match("^wg%s+setconf%s") then return true end
  end
  return false
end

function M.addresses(stanza)
  local list = {}
  for _, option in ipairs(stanza and stanza.options or {}) do
    if option.key == "address" then list[#list + 1] = option.value end
  end
  return list
end

-- Makes the interface's stanza hold exactly `addresses`; a missing stanza is added in ifupdown-ng's form.
-- changed, or nil and why not.
function M.set_addresses(model, name, addresses)
  local stanza = M.find(model, name)
  local options = {}
  if stanza then
    for _, option in ipairs(stanza.options) do
      if option.key ~= "address" then options[#options + 1] = option end
    end
  else
    options[1] = { key = "use", value = "wireguard" }
  end
  for _, address in ipairs(addresses) do options[#options + 1] = { key = "address", value = address } end
  if stanza then return model:set(name, stanza.family, stanza.method, options, stanza.auto, stanza.n) end
  return model:set(name, "", "", options, true)
end

function M.remove(model, name)
  local stanza = M.find(model, name)
  return stanza and model:remove(name, stanza.family, stanza.n) or false
end

return M
