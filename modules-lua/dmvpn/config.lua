-- dmvpn/config: the hub or spoke page. One form writes Alpine's DMVPN layout into three files, each edited in place
-- through its lossless model (lib/interfaces, lib/frrconf, lib/swanctlconf): the GRE stanza, FRR's nhrpd/bgpd
-- sections (checked by `vtysh -C -f`) and strongSwan's `dmvpn` connection. The save runs under confirm-or-rollback
-- (the manifest lists config/edit) and restarts networking, frr and strongswan.
local cfe = require("cfe")
local valid = require("valid")
local interfaces = require("interfaces")
local frrconf = require("frrconf")
local swanctlconf = require("swanctlconf")
local shellvars = require("shellvars")
local dmvpn = require("dmvpn")

local M = {}

local FILES = {
  interfaces = interfaces.PATH,
  frr = frrconf.PATH,
  daemons = frrconf.DAEMONS,
  swanctl = swanctlconf.PATH,
}
local ORDER = { "interfaces", "frr", "daemons", "swanctl" }

-- Each file's text and tag; a missing file is empty with the tag "absent" (the save creates it).
local function read_all()
  local files, problems = {}, {}
  for _, name in ipairs(ORDER) do
    local text, tag = acf.fs.read(FILES[name])
    if text then
      files[name] = { text = text, tag = tag }
    elseif tostring(tag):find("does not exist", 1, true) then
      files[name] = { text = "", tag = "absent" }
    else
      problems[#problems + 1] = tostring(tag)
    end
  end
  if #problems > 0 then return nil, table.concat(problems, "\n") end
  return files
end

local function parse_all(files)
  return {
    interfaces = interfaces.parse(files.interfaces.text),
    frr = frrconf.parse(files.frr.text),
    daemons = files.daemons.text ~= "" and shellvars.parse(files.daemons.text) or nil,
    swanctl = swanctlconf.parse(files.swanctl.text),
  }
end

-- The certificate files offered: what the folder holds, plus the current value.
local function file_options(folder, current)
  local options, seen = { { value = "", label = "None" } }, {}
  for _, entry in ipairs(acf.fs.list(folder) or {}) do
    if entry.type == "file" and entry.name:sub(1, 1) ~= "." then
      options[#options + 1] = entry.name
      seen[entry.name] = true
    end
  end
  if current ~= "" and not seen[current] then options[#options + 1] = current end
  return options
end

local function form_of(s, files)
  local v = {
    role = cfe.select{ label = "Role", value = s.role, seq = 1,
      option = { { value = "spoke", label = "Spoke (registers with the hubs)" },
        { value = "hub", label = "Hub (next hop server, route reflector)" } } },
    interface = cfe.text{ label = "GRE interface", value = s.interface, seq = 2,
      descr = "The multipoint GRE tunnel (gre1)." },
    tunnel_dev = cfe.text{ label = "Transport interface (tunnel-dev)", value = s.tunnel_dev or "", seq = 3,
      descr = "The interface that carries the tunnel: the one towards the Internet (eth0)." },
    address = cfe.text{ label = "Tunnel address", value = s.address or "", seq = 4,
      descr = "This box's IPv4 address inside the DMVPN, configured as a /32 (172.18.1.1)." },
    network_id = cfe.integer{ label = "NHRP network-id", value = s.network_id, min = 1, max = 4294967295, seq = 5 },
    holdtime = cfe.integer{ label = "NHRP holding time (seconds)", value = s.holdtime, min = 1, max = 65000, seq = 6,
      descr = "Empty for nhrpd's default (7200)." },
    nhs = cfe.list{ label = "Hubs (NBMA addresses)", value = s.nhs, seq = 7,
      descr = "Spokes: the public address or DNS name of each hub, one per line (ip nhrp nhs dynamic nbma)." },
    nflog_group = cfe.integer{ label = "NFLOG group", value = s.nflog_group, min = 1, max = 65535, seq = 8,
      descr = "Hubs: the iptables NFLOG group whose traffic triggers NHRP redirects (nhrp nflog-group)." },
    bgp = cfe.group{ label = "BGP", seq = 9, value = {
      asn = cfe.integer{ label = "AS number", value = s.asn, min = 1, max = 4294967295, seq = 1 },
      router_id = cfe.text{ label = "Router ID", value = s.router_id or "", seq = 2,
        descr = "Empty: the tunnel address." },
      networks = cfe.list{ label = "Networks", value = s.networks, seq = 3,
        descr = "The prefixes this box announces, one per line (10.1.0.0/16); hubs announce the tunnel network too." },
      peers = cfe.list{ label = "Hub tunnel addresses", value = s.peers, seq = 4,
        descr = "The hubs' addresses inside the tunnel, the BGP neighbours of a spoke (or a hub's fellow hubs)." },
      listen_range = cfe.text{ label = "Spoke range", value = s.listen_range or "", seq = 5,
        descr = "Hubs: the tunnel prefix spokes connect from (172.18.0.0/16); they become route-reflector clients." },
    } },
    ipsec = cfe.group{ label = "IPsec (strongSwan)", seq = 10, value = {
      proposals = cfe.text{ label = "IKE proposals", value = s.proposals, seq = 1,
        descr = "Comma-separated, as swanctl.conf takes them (aes256-sha256-modp2048)." },
      esp_proposals = cfe.text{ label = "ESP proposals", value = s.esp_proposals, seq = 2 },
      cert = cfe.select{ label = "Certificate (/etc/swanctl/x509)", value = s.cert, seq = 3,
        option = file_options("/etc/swanctl/x509", s.cert) },
      cacert = cfe.select{ label = "CA certificate (/etc/swanctl/x509ca)", value = s.cacert, seq = 4,
        option = file_options("/etc/swanctl/x509ca", s.cacert) },
      psk = cfe.password{ label = "Pre-shared key", value = "", seq = 5,
        descr = (s.psk and "A key is set; leave empty to keep it. " or "")
          .. "Instead of certificates: every box of the DMVPN authenticates with this key (secrets.ike-dmvpn of "
          .. "swanctl.conf). 16 to 256 characters, no spaces, quotes, braces, '#' or '='." },
    } },
    orig_interface = cfe.hidden{ value = s.interface },
  }
  for _, name in ipairs(ORDER) do v["tag_" .. name] = cfe.hidden{ value = files[name].tag } end
  return cfe.form{ label = "DMVPN hub or spoke", option = { "Save" }, value = v,
    descr = "Writes the GRE stanza of /etc/network/interfaces, the nhrpd and bgpd sections of /etc/frr/frr.conf "
      .. "and the dmvpn connection of /etc/swanctl/swanctl.conf; other lines stay as they are. Saving restarts "
      .. "networking, frr and strongswan; the change rolls back unless you keep it." }
end

local function text_of(field)
  if field.value == nil then return "" end
  return (tostring(field.value):match("^%s*(.-)%s*$"))
end

local function check_name(text)
  if text == "" then return "Enter an interface name." end
  if not valid.is_interface(text) then return "1 to 15 letters, digits, '.', '_' and '-'." end
end

local function ipv4_prefix(text)
  local address, bits = text:match("^([%d.]+)/(%d+)$")
  bits = tonumber(bits)
  if not address or not valid.is_ipv4(address) or bits > 32 or #text:match("/(%d+)$") > 2 then
    return nil, "'" .. text .. "' is not an IPv4 prefix (10.1.0.0/16)."
  end
  local value = 0
  for part in address:gmatch("%d+") do value = value * 256 + tonumber(part) end
  local host = bits == 32 and 0 or ((1 << (32 - bits)) - 1)
  if value & host ~= 0 then
    local network = value & ~host & 0xFFFFFFFF
    local parts = {}
    for shift = 24, 0, -8 do parts[#parts + 1] = tostring((network >> shift) & 255) end
    return nil, "'" .. text .. "' has host bits set; the network is " .. table.concat(parts, ".") .. "/" .. bits .. "."
  end
  return text
end

-- IKE/ESP proposals: comma-separated algorithm lists of letters, digits and '-' (aes256gcm16-prfsha384-ecp384).
local function check_proposals(text)
  if text == "" then return "Enter at least one proposal (or default)." end
  if #text > 512 then return "At most 512 characters." end
  for item in (text .. ","):gmatch("([^,]*),") do
    item = item:match("^%s*(.-)%s*$")
    if not item:match("^%w[%w%-]*$") then
      return "'" .. item .. "' is not a proposal: algorithms of letters and digits joined by '-', proposals by ','."
    end
  end
  return nil
end

-- The settings from the submitted form, or nil and field errors.
local function settings_of(form, current)
  local v, b, i = form.value, form.value.bgp.value, form.value.ipsec.value
  local errors = {}
  local s = { role = v.role.value, nhs = {}, networks = {}, peers = {} }
  if s.role ~= "hub" and s.role ~= "spoke" then errors.role = "Choose hub or spoke." end
  s.interface = text_of(v.interface)
  errors.interface = check_name(s.interface)
  s.tunnel_dev = text_of(v.tunnel_dev)
  errors.tunnel_dev = check_name(s.tunnel_dev)
  if s.tunnel_dev == s.interface and not errors.interface then
    errors.tunnel_dev = "The tunnel runs over another interface, not over itself."
  end
  s.address = text_of(v.address):gsub("/32$", "")
  if not valid.is_ipv4(s.address) then errors.address = "Enter an IPv4 address (172.18.1.1); it is used as a /32." end
  s.network_id = math.tointeger(v.network_id.value)
  if not s.network_id then errors.network_id = "Enter the network-id (1 to 4294967295)." end
  s.holdtime = math.tointeger(v.holdtime.value)
  s.nflog_group = math.tointeger(v.nflog_group.value)
  for number, item in ipairs(v.nhs.value) do
    item = item:match("^%s*(.-)%s*$")
    if not (valid.is_ipv4(item) or (valid.is_hostname(item) and item:find("%a"))) then
      errors.nhs = errors.nhs or ("Line " .. number .. ": '" .. item .. "' is not an IPv4 address or a DNS name.")
    end
    s.nhs[#s.nhs + 1] = item
  end
  if s.role == "spoke" and #s.nhs == 0 then errors.nhs = "A spoke needs at least one hub." end
  -- Only a hub sends NHRP redirects (nhrp nflog-group is written for hubs alone): a group typed for a spoke would be
  -- dropped without a word. One the file already has is shown and left to the save, which removes it from a spoke.
  if s.role == "spoke" and s.nflog_group and s.nflog_group ~= current.nflog_group then
    errors.nflog_group = "Only a hub uses an NFLOG group (it sends the redirects): leave it empty on a spoke."
  end

  s.asn = math.tointeger(b.asn.value)
  if not s.asn then errors["bgp.asn"] = "Enter the AS number (1 to 4294967295)." end
  local rid = text_of(b.router_id)
  if rid ~= "" and not valid.is_ipv4(rid) then errors["bgp.router_id"] = "A router ID is written as an IPv4 address." end
  s.router_id = rid ~= "" and rid or nil
  for number, item in ipairs(b.networks.value) do
    local network, message = ipv4_prefix(item:match("^%s*(.-)%s*$"))
    if not network then errors["bgp.networks"] = errors["bgp.networks"] or ("Line " .. number .. ": " .. message) end
    s.networks[#s.networks + 1] = network
  end
  for number, item in ipairs(b.peers.value) do
    item = item:match("^%s*(.-)%s*$")
    if not valid.is_ipv4(item) then
      errors["bgp.peers"] = errors["bgp.peers"] or ("Line " .. number .. ": '" .. item .. "' is not an IPv4 address.")
    elseif item == s.address then
      errors["bgp.peers"] = errors["bgp.peers"] or ("Line " .. number .. ": that is this box's own tunnel address.")
    end
    s.peers[#s.peers + 1] = item
  end
  local range = text_of(b.listen_range)
  if range ~= "" then
    local network, message = ipv4_prefix(range)
    if not network then errors["bgp.listen_range"] = message end
    s.listen_range = network
  end

  s.proposals, s.esp_proposals = text_of(i.proposals), text_of(i.esp_proposals)
  errors["ipsec.proposals"] = check_proposals(s.proposals)
  errors["ipsec.esp_proposals"] = check_proposals(s.esp_proposals)
  s.cert, s.cacert = i.cert.value or "", i.cacert.value or ""
  for _, key in ipairs{ "cert", "cacert" } do
    if s[key] ~= "" and not s[key]:match("^[%w][%w._%-]*$") then errors["ipsec." .. key] = "Not a file name." end
  end
  local psk = tostring(i.psk.value or "")
  if psk == "" then
    s.psk = current.psk
  elseif #psk < 16 or #psk > 256 or psk:find("%s") or not swanctlconf.check_value(psk) then
    errors["ipsec.psk"] = "16 to 256 characters, without spaces, quotes, braces, '#' or '='."
  else
    s.psk = psk
  end
  if next(errors) then return nil, errors end
  return s
end

local SERVICES = { "networking", "frr", "strongswan" }

function M.edit(ctx, input)
  local files, err = read_all()
  if not files then return cfe.form{ label = "DMVPN hub or spoke", errtxt = err, value = {} } end
  local models = parse_all(files)
  local current = dmvpn.read(models.interfaces, models.frr, models.swanctl)
  local form = form_of(current, files)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local s, errors = settings_of(form, current)
  if not s then return cfe.fail(form, errors) end
  if dmvpn.same(current, s) and form.value.orig_interface.value == current.interface then
    return cfe.done(form, "Nothing changed.")
  end
  local ok, message = dmvpn.write(models, s, form.value.orig_interface.value)
  if not ok then return cfe.fail(form, nil, message) end

  local texts = { interfaces = models.interfaces:text(), frr = models.frr:text(), swanctl = models.swanctl:text(),
    daemons = models.daemons and models.daemons:text() or nil }
  local validators = { interfaces = interfaces.VALIDATOR, frr = frrconf.VALIDATOR }
  -- The validated files go first (FRR's parser is the likeliest to refuse); when a later write fails, the files
  -- already written get their previous text back, so a refused save leaves the box as it was.
  local changed_any, written = false, {}
  for _, name in ipairs{ "frr", "interfaces", "daemons", "swanctl" } do
    if texts[name] and texts[name] ~= files[name].text then
      local expected = form.value["tag_" .. name].value
      local changed, tag_or_err = acf.fs.write(FILES[name], texts[name], expected ~= "" and expected or nil,
        { validate = validators[name] })
      if changed == nil then
        for _, done in ipairs(written) do
          if files[done].tag ~= "absent" then acf.fs.write(FILES[done], files[done].text) end
        end
        return cfe.fail(form, nil, tag_or_err)
      end
      written[#written + 1] = name
      form.value["tag_" .. name].value = tag_or_err
      changed_any = changed_any or changed
    end
  end
  if not changed_any then return cfe.done(form, "Nothing changed.") end
  local failed = {}
  for _, service in ipairs(SERVICES) do
    acf.progress("Restarting " .. service)
    local applied, serr = acf.service.restart(service)
    if not applied then
      failed[#failed + 1] = service .. ": " .. tostring(serr)
    elseif applied.status ~= 0 then
      failed[#failed + 1] = service .. ": " .. ((applied.stderr or "") .. (applied.stdout or "")):gsub("%s+$", "")
    end
  end
  if #failed > 0 then return cfe.fail(form, nil, "Saved, but restarting failed:\n" .. table.concat(failed, "\n")) end
  form.value.orig_interface.value = s.interface
  return cfe.done(form, "DMVPN " .. s.role .. " saved; networking, frr and strongswan restarted.")
end

return M
