-- wgfiles: what the WireGuard editor pages share: the interfaces there are (/etc/wireguard/*.conf), reading one
-- interface (its conf and its stanza), and saving both with the apply step (`wg syncconf`) under confirm-or-rollback.
local lines = require("lines")
local wgconf = require("wgconf")
local wgstanza = require("wgstanza")
local wgdump = require("wgdump")
local wgvalid = require("wgvalid")

local M = {}

-- The interface names with a conf file, sorted.
function M.names()
  local names = {}
  for _, entry in ipairs(acf.fs.list(wgconf.DIR) or {}) do
    local name = entry.name:match("^(.+)%.conf$")
    if name and entry.type == "file" then names[#names + 1] = name end
  end
  table.sort(names)
  return names
end

-- The public keys wg reports for the interfaces that are up: { [name] = key }.
function M.live_keys()
  local keys = {}
  local result = acf.exec({ "wg", "show", "all", "dump" }, { timeout = 10 })
  if result and result.status == 0 then
    for _, interface in ipairs((wgdump.parse(result.stdout))) do keys[interface.name] = interface.public_key end
  end
  return keys
end

-- One interface as the pages edit it: { name, conf, conf_tag, model (the interfaces file), model_tag, stanza }; the
-- conf is nil when the file is missing (a new interface). nil and the broker's message when a file cannot be read.
function M.load(name)
  local state = { name = name }
  if name and not wgvalid.name(name) then -- a name that is not an interface's is never made a path
    -- The broker hands the file with its keys as tokens ({secret:N}) and the public key of each private key's
    -- token; the file is written back with the tokens, and the broker puts the keys back (docs/isolation.md).
    local text, tag, public_keys = acf.fs.read(wgconf.path(name))
    if text then state.conf, state.conf_tag, state.public_keys = wgconf.parse(text), tag, public_keys or {} end
  end
  state.model, state.model_tag, state.model_text = wgstanza.read()
  state.stanza = name and wgstanza.find(state.model, name) or nil
  return state
end

-- Where the broker writes a new private key (acf.fs.write_new_key): the key itself never passes through Lua.
M.KEY_PLACEHOLDER = "{private-key}"

-- The public key of the interface's own key pair: the broker's for the token on its PrivateKey line ("" when it has
-- none, or a placeholder such as YOUR_PRIVATE_KEY). The private key itself never reaches Lua.
function M.public_key(state)
  local token = state.conf and wgconf.get(state.conf:interface(), "privatekey") or ""
  return state.public_keys and state.public_keys[token] or ""
end

-- Marks the interface for a new key pair at the next save: its PrivateKey line (added when missing) holds the
-- placeholder the broker replaces with the key it makes.
function M.new_key(state)
  state.conf:set(state.conf:interface(), "PrivateKey", M.KEY_PLACEHOLDER)
  state.new_key = true
end

-- The interface's addresses: from the conf when it is in wg-quick's form (Address lines), else from its stanza.
function M.addresses(state)
  if state.conf and state.conf:is_quick() then return wgconf.all(state.conf:interface(), "address") end
  return wgstanza.addresses(state.stanza)
end

local function sync(name, conf)
  if conf:is_quick() then
    return " The file is in wg-quick's form (Address, PostUp, ...): restart it with wg-quick to use the change."
  end
  local argv = { "wg", "syncconf", name, wgconf.path(name) }
  local result, err = acf.exec(argv, { timeout = 20, rollback = argv })
  if not result then return nil, err end
  if result.status ~= 0 then
    return " wg syncconf did not apply it (is " .. name .. " up?): " .. (result.stderr or "")
  end
  return " Applied with wg syncconf."
end

-- Writes what changed (the conf at mode 0600, the interfaces file) and applies a changed conf to the running
-- interface; answers the note for the message ("" when nothing changed, nil and the error when a write failed).
function M.save(state)
  local note = ""
  if state.conf and state.conf:changed() then
    local expected = state.conf_tag ~= "" and state.conf_tag or nil
    local changed, tag
    if state.new_key then
      changed, tag = acf.fs.write_new_key(wgconf.path(state.name), state.conf:text(), expected)
      state.public_key = changed
    else
      changed, tag = acf.fs.write(wgconf.path(state.name), state.conf:text(), expected, { mode = "0600" })
    end
    if changed == nil then return nil, tag end
    state.conf_tag = tag
    local synced, err = sync(state.name, state.conf)
    if not synced then return nil, err end
    note = synced
  end
  if state.model:text() ~= (state.model_text or "") then
    local changed, tag = acf.fs.write(wgstanza.PATH, state.model:text(), state.model_tag ~= "" and state.model_tag or nil)
    if changed == nil then return nil, tag end
    state.model_tag = tag
    note = note .. " " .. wgstanza.PATH .. " changed: its addresses take effect when " .. state.name
      .. " is brought up again."
  end
  return lines.trim(note)
end

return M
