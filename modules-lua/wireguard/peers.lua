-- peers: the [Peer] sections of one interface's /etc/wireguard/<name>.conf (?interface=wg0&peer=N, N counting the
-- peers in file order). Save changes the peer or, with no peer chosen, adds one at the end of the file; Remove takes
-- its section (and the comment right above it) away. Only changed values are checked and written, each in place.
-- Under confirm-or-rollback (the manifest), applied with `wg syncconf`.
local cfe = require("cfe")
local lines = require("lines")
local wgconf = require("wgconf")
local wgfiles = require("wgfiles")
local wgvalid = require("wgvalid")
local wgclient = require("wgclient")

local M = {}

-- field, the key's spelling in the file, its check (nil: the field is a list or checked elsewhere).
local SPECS = {
  { field = "public_key", key = "PublicKey", check = wgvalid.key },
  { field = "endpoint", key = "Endpoint", check = wgvalid.endpoint },
  { field = "keepalive", key = "PersistentKeepalive", check = function(text)
    local number = text:match("^%d+$") and tonumber(text)
    if not number or number > 65535 then return "Seconds from 0 (off) to 65535; 25 keeps a NAT mapping open." end
  end },
}

local function href(name, n) return "/wireguard/peers/edit?interface=" .. name .. "&peer=" .. n end

local function rows(state)
  local list = {}
  for n, peer in ipairs(state.conf and state.conf:peers() or {}) do
    list[#list + 1] = { peer = tostring(n), ["peer@href"] = href(state.name, n),
      public_key = wgconf.get(peer, "publickey"), allowed_ips = table.concat(wgconf.all(peer, "allowedips"), ", "),
      endpoint = wgconf.get(peer, "endpoint"), keepalive = wgconf.get(peer, "persistentkeepalive"),
      preshared_key = wgconf.get(peer, "presharedkey") ~= "" and "yes" or "" }
  end
  return list
end

local function edit_form(state, n, err)
  local peer = state.conf and state.conf:peers()[n]
  local links = {}
  for _, name in ipairs(wgfiles.names()) do links[#links + 1] = { value = name, label = name } end
  return cfe.form{
    label = "WireGuard peers", errtxt = err,
    option = { "Save", "Add with new keys", { value = "Remove", confirm = "Remove this peer? It can no longer connect." } },
    descr = "The peers of " .. wgconf.path(state.name or "NAME") .. ". Save changes the chosen peer, or adds a new one "
      .. "when none is chosen; other lines stay as they are. Keep the change within the countdown or it is undone.",
    value = {
      interface = cfe.select{ label = "Interface", seq = 1, value = state.name or "", option = links,
        descr = "Choose the interface, then open its page: /wireguard/peers/edit?interface=NAME." },
      peers = cfe.structure{ label = "Peers", seq = 2, value = rows(state),
        columns = { "peer", "public_key", "allowed_ips", "endpoint", "keepalive", "preshared_key" },
        descr = "Click a number to edit that peer." },
      peer = cfe.hidden{ value = peer and tostring(n) or "" },
      public_key = cfe.text{ label = "Public key", seq = 3, value = wgconf.get(peer, "publickey"),
        descr = "The peer's public key (wg pubkey of its private key), 44 characters ending in '='." },
      allowed_ips = cfe.list{ label = "Allowed IPs", seq = 4, value = wgconf.all(peer, "allowedips"),
        descr = "The addresses this peer may send from and that are routed to it, one per line (10.8.0.2/32)." },
      endpoint = cfe.text{ label = "Endpoint", seq = 5, value = wgconf.get(peer, "endpoint"),
        descr = "host:port where the peer listens; empty for a peer that connects to us." },
      keepalive = cfe.text{ label = "Persistent keepalive (seconds)", seq = 6,
        value = wgconf.get(peer, "persistentkeepalive") },
      preshared_key = cfe.password{ label = "New preshared key", seq = 7, value = "",
        descr = "Optional (wg genpsk). Empty keeps the current one; 'none' removes it. Never shown." },
      client_endpoint = cfe.text{ label = "This box for the new peer (Endpoint)", seq = 8, value = "",
        descr = "Add with new keys only: host:port the new peer's device connects to (vpn.example.org:51820)." },
      client_allowed_ips = cfe.list{ label = "Routed through the tunnel by the new peer", seq = 9,
        value = { "0.0.0.0/0", "::/0" },
        descr = "Add with new keys only: the AllowedIPs of its client configuration (0.0.0.0/0 and ::/0: everything)." },
      tag = cfe.tag(state.conf_tag),
    },
  }
end

-- The order a new peer's keys are written in.
local ORDER = { "PublicKey", "PresharedKey", "AllowedIPs", "Endpoint", "PersistentKeepalive" }

-- Another peer with this public key: its number, else nil.
local function holder(state, section, key)
  for n, peer in ipairs(state.conf:peers()) do
    if peer.line ~= (section and section.line) and wgconf.get(peer, "publickey") == key then return n end
  end
end

-- The changed values of the form ({ [Key] = value }, "" removes one); field errors, or nil.
local function changes(state, section, fields)
  local wanted = {}
  for _, spec in ipairs(SPECS) do
    local value = lines.trim(fields[spec.field].value or "")
    if value ~= wgconf.get(section, spec.key:lower()) then
      local message = (value ~= "" or spec.field == "public_key") and spec.check(value)
      if message then return nil, { [spec.field] = message } end
      wanted[spec.key] = value
    end
  end
  -- A new peer without a public key is no peer (wg refuses the file); the new-peer form saved as it comes lands here.
  if not section and (wanted.PublicKey or "") == "" then
    return nil, { public_key = "A new peer needs its public key (or use Add with new keys)." }
  end
  local other = wanted.PublicKey and holder(state, section, wanted.PublicKey)
  if other then return nil, { public_key = "Peer " .. other .. " has this public key already." } end
  local ips = {}
  for _, item in ipairs(fields.allowed_ips.value) do ips[#ips + 1] = lines.trim(item) end
  if table.concat(ips, ", ") ~= table.concat(wgconf.all(section, "allowedips"), ", ") then
    local message = wgvalid.each(ips, wgvalid.cidr)
    if message then return nil, { allowed_ips = message } end
    wanted.AllowedIPs = table.concat(ips, ", ")
  end
  local psk = lines.trim(fields.preshared_key.value or "")
  if psk ~= "" then
    local message = psk ~= "none" and wgvalid.key(psk)
    if message then return nil, { preshared_key = message } end
    wanted.PresharedKey = psk == "none" and "" or psk
  end
  return wanted
end

-- "a, b" as { "a", "b" }.
local function split_list(text)
  local list = {}
  for part in text:gmatch("[^,]+") do
    if lines.trim(part) ~= "" then list[#list + 1] = lines.trim(part) end
  end
  return list
end

-- Applies the fields to `section` (nil: a new peer appended); field errors, or nil.
local function apply(state, section, fields)
  local wanted, errors = changes(state, section, fields)
  if not wanted then return errors end
  local pairs_in_order = {}
  for _, key in ipairs(ORDER) do
    if wanted[key] ~= nil then pairs_in_order[#pairs_in_order + 1] = { key, wanted[key] } end
  end
  if not section then
    state.conf:append("Peer", pairs_in_order)
    return nil
  end
  for _, pair in ipairs(pairs_in_order) do
    for _, peer in ipairs(state.conf:peers()) do
      if peer.line == section.line then
        -- AllowedIPs written one per line keep their lines.
        if pair[1] == "AllowedIPs" then state.conf:set_list(peer, pair[1], split_list(pair[2]))
        else state.conf:set(peer, pair[1], pair[2]) end
      end
    end
  end
end

-- "Add with new keys": a new key pair for a new peer; its public key goes into the file as a new peer's, its
-- private key only into the client configuration returned once. The client config's values, or field errors.
local function generate(state, section, fields)
  if section then return nil, { [""] = "Add with new keys adds a new peer: open the page without a chosen peer." } end
  local server_key = wgfiles.public_key(state)
  if server_key == "" then server_key = wgfiles.live_keys()[state.name] or "" end
  if server_key == "" then return nil, { [""] = "The interface has no key pair yet: make one on the Interfaces tab." } end
  local endpoint = lines.trim(fields.client_endpoint.value or "")
  local message = wgvalid.endpoint(endpoint)
  if message then return nil, { client_endpoint = message } end
  local routed = {}
  for _, item in ipairs(fields.client_allowed_ips.value) do routed[#routed + 1] = lines.trim(item) end
  message = #routed == 0 and "Name what the peer routes through the tunnel (0.0.0.0/0 for everything)."
    or wgvalid.each(routed, wgvalid.cidr)
  if message then return nil, { client_allowed_ips = message } end
  local address = {}
  for _, item in ipairs(fields.allowed_ips.value) do address[#address + 1] = lines.trim(item) end
  if #address == 0 then return nil, { allowed_ips = "Give the new peer its address (10.8.0.4/32)." } end
  local pair = acf.crypto.x25519_pair()
  fields.public_key.value = pair.public
  local psk = lines.trim(fields.preshared_key.value or "")
  return { private_key = pair.private, address = address, server_key = server_key, endpoint = endpoint,
    preshared_key = psk ~= "none" and psk or "", allowed_ips = routed, keepalive = lines.trim(fields.keepalive.value or "") }
end

local function query(input)
  local name = cfe.query(input, "interface")
  return name, tonumber(cfe.query(input, "peer", ""))
end

function M.edit(ctx, input)
  local name, n = query(input)
  local state = wgfiles.load(name)
  local form = edit_form(state, n, name and not state.conf and ("There is no interface " .. name .. ".") or nil)
  if not input.submit or not state.conf then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local fields = form.value
  state.conf_tag = cfe.expected_tag(form, state.conf_tag)
  local chosen = tonumber(fields.peer.value)
  local section = chosen and state.conf:peers()[chosen]
  if chosen and not section then return cfe.fail(form, nil, "Peer " .. chosen .. " is not there any more.") end
  local message, client
  if input.submit == "Remove" then
    if not section then return cfe.fail(form, nil, "Choose the peer to remove.") end
    state.conf:remove(section)
    message, chosen = "Peer " .. chosen .. " removed.", nil
  else
    local errors
    if input.submit == "Add with new keys" then
      client, errors = generate(state, section, fields)
      if errors then return cfe.fail(form, errors, errors[""]) end
    end
    errors = apply(state, section, fields)
    if errors then return cfe.fail(form, errors) end
    chosen = chosen or #state.conf:peers()
    message = section and ("Peer " .. chosen .. " saved.") or ("Peer " .. chosen .. " added.")
  end
  local note, err = wgfiles.save(state)
  if note == nil then return cfe.fail(form, nil, err) end
  if note == "" then return cfe.done(form, "Nothing changed.") end
  local answer = edit_form(wgfiles.load(name), chosen)
  if client then
    answer.value.client_config = cfe.qrcode{ label = "The new peer's configuration", seq = 0,
      value = wgclient.text(client),
      descr = "Import it in the peer's WireGuard app (scan the code or load the text). Its private key is shown "
        .. "only now: it is not kept on this box, so copy it before you leave this page." }
  end
  return cfe.done(answer, message .. " " .. note .. " Keep the change within the countdown or it is undone.")
end

return M
