-- interfaces: the WireGuard interfaces, one /etc/wireguard/<name>.conf each (its ListenPort changed in place) and
-- its stanza in /etc/network/interfaces (its addresses; a new interface gets `use wireguard`, as Alpine's ifupdown-ng
-- brings it up). Save changes the named interface or adds it; Remove takes its file and stanza away. Under
-- confirm-or-rollback (the manifest): a changed file is applied with `wg syncconf` and comes back unless kept.
local cfe = require("cfe")
local lines = require("lines")
local wgconf = require("wgconf")
local wgstanza = require("wgstanza")
local wgfiles = require("wgfiles")
local wgvalid = require("wgvalid")

local M = {}

-- live: the public keys of running interfaces (read only for the page, so a submit runs nothing but its apply step).
local function rows(live)
  local list = {}
  for _, name in ipairs(wgfiles.names()) do
    local state = wgfiles.load(name)
    local interface = state.conf and state.conf:interface()
    list[#list + 1] = { name = name, ["name@href"] = "/wireguard/interfaces/edit?name=" .. name,
      listen_port = wgconf.get(interface, "listenport"), address = table.concat(wgfiles.addresses(state), ", "),
      peers = tostring(state.conf and #state.conf:peers() or 0),
      public_key = wgfiles.public_key(state) ~= "" and wgfiles.public_key(state) or (live and live[name] or "") }
  end
  return list
end

local function edit_form(state, live)
  local interface = state.conf and state.conf:interface()
  return cfe.form{
    label = "WireGuard interfaces",
    option = { "Save", { value = "New key pair", confirm = "Make a new key pair for this interface? Its private key "
      .. "is replaced, and every peer must be given the new public key before it can connect again." },
      { value = "Remove", confirm = "Remove this interface? Its configuration file and its stanza "
      .. "in " .. wgstanza.PATH .. " go; its peers lose the tunnel." } },
    descr = "Each interface is " .. wgconf.DIR .. "NAME.conf and its stanza in " .. wgstanza.PATH .. "; other lines "
      .. "stay as they are. Save changes the named interface or adds it; keep the change within the countdown or "
      .. "it is undone.",
    value = {
      interfaces = cfe.structure{ label = "Interfaces", seq = 1, value = rows(live),
        columns = { "name", "listen_port", "address", "peers", "public_key" },
        descr = "Click a name to edit it; its peers are on the Peers tab. A private key never leaves this box: "
          .. "only public keys are shown." },
      name = cfe.text{ label = "Interface name", seq = 2, value = state.name or "" },
      public_key = cfe.text{ label = "Public key", seq = 5, readonly = true, value = wgfiles.public_key(state),
        descr = "What the peers put in their PublicKey line. A new interface gets a key pair made on this box; "
          .. "New key pair replaces it." },
      listen_port = cfe.text{ label = "Listen port (ListenPort)", seq = 3, value = wgconf.get(interface, "listenport"),
        descr = "The UDP port peers send to (51820 is usual). Empty: a random port, for an interface that only "
          .. "connects out." },
      address = cfe.list{ label = "Addresses", seq = 4, value = wgfiles.addresses(state),
        descr = "The interface's own addresses with prefix length, one per line (10.8.0.1/24)." },
      conf_tag = cfe.tag(state.conf_tag),
      model_tag = cfe.tag(state.model_tag),
    },
  }
end

local function same(a, b) return table.concat(a, "\n") == table.concat(b, "\n") end

-- Applies the form to the interface's files; a table of field errors when a value is refused.
local function apply(state, fields)
  if not state.conf then
    state.conf = wgconf.parse("[Interface]\n")
    state.conf.original = "" -- a new file: written even when no field is filled
    wgfiles.new_key(state) -- its key pair is made by the broker as the file is written
  end
  local port = lines.trim(fields.listen_port.value or "")
  local interface = state.conf:interface()
  if port ~= wgconf.get(interface, "listenport") then
    local message = port ~= "" and wgvalid.port(port)
    if message then return { listen_port = message } end
    state.conf:set(interface, "ListenPort", port)
  end
  local addresses = {}
  for _, item in ipairs(fields.address.value) do addresses[#addresses + 1] = lines.trim(item) end
  if same(addresses, wgfiles.addresses(state)) then return nil end
  local message = wgvalid.each(addresses, wgvalid.cidr)
  if message then return { address = message } end
  if state.conf:is_quick() then
    state.conf:set_list(state.conf:interface(), "Address", addresses)
    return nil
  end
  local ok, err = wgstanza.set_addresses(state.model, state.name, addresses)
  if ok == nil then return { address = err } end
end

local function remove(state)
  if not state.conf then return nil, "There is no interface named " .. state.name .. "." end
  if state.stanza then
    local down, err = acf.exec({ "ifdown", state.name }, { timeout = 20, rollback = { "ifup", state.name } })
    if not down then return nil, err end
  end
  local removed, message = acf.fs.remove(wgconf.path(state.name), state.conf_tag)
  if removed == nil then return nil, message end
  state.conf = nil
  wgstanza.remove(state.model, state.name)
  return wgfiles.save(state)
end

function M.edit(ctx, input)
  local state = wgfiles.load(cfe.query(input, "name"))
  local form = edit_form(state, not input.submit and wgfiles.live_keys() or nil)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local fields = form.value
  local name = lines.trim(fields.name.value or "")
  local message = wgvalid.name(name)
  if message then return cfe.fail(form, { name = message }) end
  if name ~= state.name then
    state = wgfiles.load(name) -- the form was of another interface: its tags are not this one's
  else
    if state.conf then state.conf_tag = cfe.expected_tag(form, state.conf_tag, "conf_tag") end
    state.model_tag = cfe.expected_tag(form, state.model_tag, "model_tag")
  end
  if not state.conf and state.stanza and not wgstanza.is_wireguard(state.stanza) then
    return cfe.fail(form, { name = name .. " is an interface of another kind in " .. wgstanza.PATH .. "." })
  end
  if input.submit == "Remove" then
    local done, err = remove(state)
    if done == nil then return cfe.fail(form, { name = err }, err) end
    return cfe.done(edit_form(wgfiles.load(nil)), "Interface " .. name .. " removed.")
  end
  if input.submit == "New key pair" then
    local refusal = not state.conf and ("There is no interface named " .. name .. ".")
      or (state.conf:is_quick() and wgconf.get(state.conf:interface(), "privatekey") == ""
        and "This file takes its private key from elsewhere (a PostUp line): change it there.")
    if refusal then return cfe.fail(form, { name = refusal }, refusal) end
    wgfiles.new_key(state)
  end
  local errors = apply(state, fields)
  if errors then return cfe.fail(form, errors) end
  local note, err = wgfiles.save(state)
  if note == nil then return cfe.fail(form, nil, err) end
  local keyed = state.public_key and ("New key pair made; the public key is " .. state.public_key .. ". ") or ""
  return cfe.done(edit_form(wgfiles.load(name)), note == "" and "Nothing changed."
    or ("Interface " .. name .. " saved. " .. keyed .. note .. " Keep the change within the countdown or it is undone."))
end

return M
