-- dmvpn: Alpine's DMVPN layout (as dmvpn-tools' setup-dmvpn builds it) read from and written into the lossless
-- models of its three files: the GRE stanza of /etc/network/interfaces, FRR's nhrpd and bgpd sections of
-- /etc/frr/frr.conf and strongSwan's `dmvpn` connection in /etc/swanctl/swanctl.conf. Only the lines listed here are
-- owned; everything else in those files stays as it is.
local linelist = require("lines")
local frrconf = require("frrconf")
local swanctlconf = require("swanctlconf")

local M = {}

M.PROFILE = "dmvpn" -- the swanctl connection nhrpd asks for (`tunnel protection vici profile dmvpn`)
M.SECRET = "secrets.ike-dmvpn.secret" -- the pre-shared key, when the connection uses one
M.DEFAULTS = { interface = "gre1", network_id = 1, proposals = "aes256-sha256-modp2048", esp_proposals = "aes256-sha256" }

local words = linelist.words

local function prefix(text)
  local want = words(text)
  return function(w)
    for k = 1, #want do
      if w[k] ~= want[k] then return false end
    end
    return true
  end
end

-- What Acf owns in frr.conf, by kind.
local IS = {
  network_id = prefix("ip nhrp network-id"),
  nhs = prefix("ip nhrp nhs"),
  redirect = prefix("ip nhrp redirect"),
  registration = prefix("ip nhrp registration"),
  shortcut = prefix("ip nhrp shortcut"),
  holdtime = prefix("ip nhrp holdtime"),
  protection = prefix("tunnel protection"),
  nflog = prefix("nhrp nflog-group"),
  router_id = prefix("bgp router-id"),
  listen = function(w) return w[1] == "bgp" and w[2] == "listen" and w[3] == "range" and w[5] == "peer-group"
    and w[6] == "spokes" end,
  group = function(w)
    return w[1] == "neighbor" and (w[2] == "hubs" or w[2] == "spokes")
      and ((w[3] == "peer-group" and #w == 3) or w[3] == "remote-as")
  end,
  member = function(w) return w[1] == "neighbor" and w[3] == "peer-group" and w[4] == "hubs" and #w == 4 end,
  network = prefix("network"),
  redistribute = prefix("redistribute nhrp"),
  reflector = prefix("neighbor spokes route-reflector-client"),
}

local function is_bgp(w) return w[1] == "router" and w[2] == "bgp" and #w == 3 end
local AF = { "ipv4 unicast", "ipv4" }

local function last_word(text) return text:match("(%S+)%s*$") end

-- The settings as the files hold them now (defaults where they say nothing).
function M.read(ifaces, frr, swan)
  local s = { role = "spoke", nhs = {}, networks = {}, peers = {} }
  for _, block in ipairs(frr.blocks) do
    if block.words[1] == "interface" and block.words[2] and not s.interface then
      local scope = { { block = "interface " .. block.words[2] } }
      if #frr:values(scope, IS.network_id) > 0 then s.interface = block.words[2] end
    end
  end
  if not s.interface then
    for _, stanza in ipairs(ifaces:list()) do
      for _, option in ipairs(stanza.options) do
        if option.key == "tunnel-mode" and option.value == "gre" and not s.interface then s.interface = stanza.name end
      end
    end
  end
  s.interface = s.interface or M.DEFAULTS.interface

  local stanza = ifaces:get(s.interface, "inet")
  for _, option in ipairs(stanza and stanza.options or {}) do
    if option.key == "address" and not s.address then s.address = option.value:gsub("/32$", "") end
    if option.key == "tunnel-dev" and not s.tunnel_dev then s.tunnel_dev = option.value end
  end

  local iface = { { block = "interface " .. s.interface } }
  local id = frr:values(iface, IS.network_id)[1]
  s.network_id = id and math.tointeger(tonumber(last_word(id))) or M.DEFAULTS.network_id
  local hold = frr:values(iface, IS.holdtime)[1]
  s.holdtime = hold and math.tointeger(tonumber(last_word(hold))) or nil
  for _, line in ipairs(frr:values(iface, IS.nhs)) do
    local w = words(line)
    if w[4] == "dynamic" and w[5] == "nbma" and w[6] then s.nhs[#s.nhs + 1] = w[6] end
  end
  -- A hub: no next hop servers of its own, and it redirects or serves spokes (dmvpn-tools hubs may lack redirect).
  local serves = #frr:values({ { block = is_bgp } }, function(w) return w[1] == "neighbor" and w[2] == "spokes" end) > 0
  if #s.nhs == 0 and (#frr:values(iface, IS.redirect) > 0 or serves) then s.role = "hub" end
  local nflog = frr:values({ {} }, IS.nflog)[1]
  s.nflog_group = nflog and math.tointeger(tonumber(last_word(nflog))) or nil

  local _, asn = frr:bgp()
  s.asn = asn and math.tointeger(tonumber(asn)) or nil
  local top, af = { block = is_bgp }, { block = is_bgp, af = AF }
  local rid = frr:values({ top }, IS.router_id)[1]
  s.router_id = rid and last_word(rid) or nil
  -- A router ID equal to the tunnel address is the default: shown empty, it follows a new address.
  if s.router_id == s.address then s.router_id = nil end
  for _, line in ipairs(frr:values({ af, top }, IS.network)) do s.networks[#s.networks + 1] = words(line)[2] end
  for _, line in ipairs(frr:values({ top }, IS.member)) do s.peers[#s.peers + 1] = words(line)[2] end
  local listen = frr:values({ top }, IS.listen)[1]
  s.listen_range = listen and words(listen)[4] or nil

  local conn = "connections." .. M.PROFILE
  -- A connection without proposals uses strongSwan's own ("default"); a new one gets dmvpn's.
  s.proposals = swan:get(conn .. ".proposals") or (swan:has_section(conn) and "default" or M.DEFAULTS.proposals)
  s.esp_proposals = swan:get(conn .. ".children." .. M.PROFILE .. ".esp_proposals")
    or (swan:has_section(conn) and "default" or M.DEFAULTS.esp_proposals)
  s.cert = swan:get(conn .. ".local.certs") or ""
  s.cacert = swan:get(conn .. ".remote.cacerts") or ""
  s.psk = swan:get(M.SECRET) -- never shown: the form only says whether one is set
  return s
end

-- Whether submitted settings say what the files say now: then a save has nothing to write. Without this check an
-- unchanged save would complete a partial layout (add the dmvpn connection to a swanctl.conf that has none, turn
-- bgpd=no into yes) and restart three services, though the admin changed nothing (issue 14).
local SCALARS = { "role", "interface", "tunnel_dev", "address", "network_id", "holdtime", "nflog_group", "asn",
  "router_id", "listen_range", "proposals", "esp_proposals", "cert", "cacert", "psk" }
local LISTS = { "nhs", "networks", "peers" }

local function shown(value)
  if value == nil then return "" end
  return tostring(value)
end

function M.same(read, submitted)
  for _, key in ipairs(SCALARS) do
    if shown(read[key]) ~= shown(submitted[key]) then return false end
  end
  for _, key in ipairs(LISTS) do
    local a, b = read[key] or {}, submitted[key] or {}
    if #a ~= #b then return false end
    for k = 1, #a do
      if a[k] ~= b[k] then return false end
    end
  end
  return true
end

-- The GRE stanza: its own options are edited, the others (mtu, up lines, ...) kept in their places.
local OWNED_OPTIONS = { address = true, netmask = true, ["tunnel-mode"] = true, ["tunnel-dev"] = true,
  ["tunnel-ttl"] = true, ["tunnel-local"] = true, ["tunnel-remote"] = true }

local function write_interfaces(ifaces, s, old_name)
  if old_name and old_name ~= s.interface and ifaces:get(old_name, "inet") then ifaces:remove(old_name, "inet") end
  local stanza = ifaces:get(s.interface, "inet")
  local with_prefix = false
  for _, option in ipairs(stanza and stanza.options or {}) do
    if option.key == "address" and option.value:find("/", 1, true) then with_prefix = true end
  end
  local ttl = "64" -- dmvpn-tools' for a new stanza; a TTL the stanza already has is the admin's
  -- ifupdown-ng's tunnel executor refuses a stanza without a local and a remote end (exit 1 already in its depend
  -- phase, so `ifup -a` brings up no interface at all): a multipoint tunnel says `remote any`, and `local any`
  -- unless the admin named the local end (an address, or tunnel-local-dev).
  local local_end = "any"
  for _, option in ipairs(stanza and stanza.options or {}) do
    if option.key == "tunnel-ttl" then ttl = option.value end
    if option.key == "tunnel-local" then local_end = option.value end
    if option.key == "tunnel-local-dev" then local_end = nil end
  end
  local wanted = { address = with_prefix and (s.address .. "/32") or s.address,
    netmask = not with_prefix and "255.255.255.255" or nil,
    ["tunnel-mode"] = "gre", ["tunnel-dev"] = s.tunnel_dev, ["tunnel-ttl"] = ttl, ["tunnel-local"] = local_end,
    ["tunnel-remote"] = "any" }
  local options, placed = {}, {}
  for _, option in ipairs(stanza and stanza.options or {}) do
    if OWNED_OPTIONS[option.key] then
      if wanted[option.key] and not placed[option.key] then
        options[#options + 1] = { key = option.key, value = wanted[option.key] }
        placed[option.key] = true
      end
    else
      options[#options + 1] = { key = option.key, value = option.value }
    end
  end
  for _, key in ipairs{ "address", "netmask", "tunnel-mode", "tunnel-dev", "tunnel-ttl", "tunnel-local", "tunnel-remote" } do
    if wanted[key] and not placed[key] then options[#options + 1] = { key = key, value = wanted[key] } end
  end
  return ifaces:set(s.interface, "inet", "static", options, true)
end

local function write_frr(frr, s, old_name)
  local hub = s.role == "hub"
  local header = "interface " .. s.interface
  if old_name and old_name ~= s.interface and frr:block("interface " .. old_name) and not frr:block(header) then
    frr:set_header(frr:block("interface " .. old_name), header)
  end
  frr:ensure_block(header)
  local iface = { { block = header } }
  frr:sync(iface, IS.network_id, { "ip nhrp network-id " .. s.network_id })
  local nhs = {}
  if not hub then
    for _, address in ipairs(s.nhs) do nhs[#nhs + 1] = "ip nhrp nhs dynamic nbma " .. address end
  end
  frr:sync(iface, IS.nhs, nhs)
  frr:sync(iface, IS.redirect, hub and { "ip nhrp redirect" } or {})
  frr:sync(iface, IS.registration, { "ip nhrp registration no-unique" })
  frr:sync(iface, IS.shortcut, { "ip nhrp shortcut" })
  frr:sync(iface, IS.holdtime, s.holdtime and { "ip nhrp holdtime " .. s.holdtime } or {})
  frr:sync(iface, IS.protection, { "tunnel protection vici profile " .. M.PROFILE })
  frr:sync({ {} }, IS.nflog, (hub and s.nflog_group) and { "nhrp nflog-group " .. s.nflog_group } or {})

  local block = frr:bgp()
  if block then
    frr:set_header(block, "router bgp " .. s.asn)
  else
    frr:ensure_block("router bgp " .. s.asn)
  end
  local top, af = { block = is_bgp }, { block = is_bgp, af = AF }
  frr:sync({ top }, IS.router_id, { "bgp router-id " .. (s.router_id or s.address) })
  local groups = {}
  if hub then
    groups[#groups + 1] = "neighbor spokes peer-group"
    groups[#groups + 1] = "neighbor spokes remote-as " .. s.asn
  end
  if #s.peers > 0 then
    groups[#groups + 1] = "neighbor hubs peer-group"
    groups[#groups + 1] = "neighbor hubs remote-as " .. s.asn
  end
  frr:sync({ top }, IS.group, groups)
  frr:sync({ top }, IS.listen, (hub and s.listen_range) and { "bgp listen range " .. s.listen_range .. " peer-group spokes" } or {})
  local members = {}
  for _, peer in ipairs(s.peers) do members[#members + 1] = "neighbor " .. peer .. " peer-group hubs" end
  frr:sync({ top }, IS.member, members)

  local networks = {}
  for _, network in ipairs(s.networks) do networks[#networks + 1] = "network " .. network end
  if #networks > 0 or hub then frr:ensure_af(is_bgp, AF) end
  frr:sync({ af, top }, IS.network, networks, af)
  frr:sync({ af, top }, IS.redistribute, hub and { "redistribute nhrp" } or {}, af)
  frr:sync({ af, top }, IS.reflector, hub and { "neighbor spokes route-reflector-client" } or {}, af)
end

-- Keys set only when the connection is created (dmvpn-tools' defaults, and pubkey auth); afterwards they are the
-- admin's: an existing `auth = psk` stays psk, and a connection without auth lines keeps strongSwan's default.
local NEW_CONNECTION = {
  { "version", "2" }, { "mobike", "no" }, { "dpd_delay", "15s" }, { "unique", "replace" }, { "reauth_time", "13h" },
}

-- Sets a proposals key, except "default" where the key is absent: strongSwan's default is what absence means (the
-- form shows it so), and writing it would add a line dmvpn-tools' own file does not have.
local function set_proposals(swan, key, value)
  if value == "default" and swan:get(key) == nil then return end
  swan:set(key, value)
end
local NEW_CHILD = { { "inactivity", "90m" }, { "rekey_time", "100m" } }

local function write_swanctl(swan, s)
  local conn = "connections." .. M.PROFILE
  local child = conn .. ".children." .. M.PROFILE
  local new_conn = not swan:has_section(conn)
  if new_conn then
    for _, pair in ipairs(NEW_CONNECTION) do swan:set(conn .. "." .. pair[1], pair[2]) end
  end
  set_proposals(swan, conn .. ".proposals", s.proposals)
  if new_conn then swan:set(conn .. ".local.auth", "pubkey") end
  if s.cert ~= "" then swan:set(conn .. ".local.certs", s.cert) else swan:remove(conn .. ".local.certs") end
  if new_conn then swan:set(conn .. ".remote.auth", "pubkey") end
  if s.cacert ~= "" then swan:set(conn .. ".remote.cacerts", s.cacert) else swan:remove(conn .. ".remote.cacerts") end
  if s.psk then
    swan:set(conn .. ".local.auth", "psk")
    swan:set(conn .. ".remote.auth", "psk")
    swan:set(M.SECRET, s.psk)
  end
  local new_child = not swan:has_section(child)
  set_proposals(swan, child .. ".esp_proposals", s.esp_proposals)
  swan:set(child .. ".mode", "transport")
  swan:set(child .. ".local_ts", "dynamic[gre]")
  swan:set(child .. ".remote_ts", "dynamic[gre]")
  if new_child then
    for _, pair in ipairs(NEW_CHILD) do swan:set(child .. "." .. pair[1], pair[2]) end
  end
end

-- The last line of defence under the form's own checks: nothing that could end a line or start a comment, a
-- block or another directive reaches frr.conf or swanctl.conf.
local function check_all(s)
  local words = { s.interface, s.tunnel_dev, s.address, s.router_id, s.listen_range, tostring(s.network_id),
    tostring(s.asn), s.holdtime and tostring(s.holdtime), s.nflog_group and tostring(s.nflog_group) }
  for _, list in ipairs{ s.nhs, s.networks, s.peers } do
    for _, item in ipairs(list) do words[#words + 1] = item end
  end
  for k = 1, 9 + #s.nhs + #s.networks + #s.peers do
    local value = words[k]
    if value ~= nil then
      local ok, message = frrconf.check_words(value)
      if not ok or value:find("%s") then return nil, "'" .. value .. "': " .. (message or "one word only.") end
    end
  end
  for _, value in ipairs{ s.proposals, s.esp_proposals, s.cert, s.cacert, s.psk or "" } do
    if value ~= "" then
      local ok, message = swanctlconf.check_value(value)
      if not ok then return nil, "'" .. value .. "': " .. message end
    end
  end
  return true
end

-- Writes validated settings into the models; `old_name` is the GRE interface the form was opened for.
function M.write(models, s, old_name)
  local checked, why = check_all(s)
  if not checked then return nil, why end
  local ok, message = write_interfaces(models.interfaces, s, old_name)
  if ok == nil then return nil, message end
  write_frr(models.frr, s, old_name)
  write_swanctl(models.swanctl, s)
  -- FRR starts only the daemons its daemons file enables: nhrpd and bgpd must be on.
  if models.daemons then
    models.daemons:set("nhrpd", "yes")
    models.daemons:set("bgpd", "yes")
  end
  return true
end

return M
