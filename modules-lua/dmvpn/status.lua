-- dmvpn/status: the state of the DMVPN: nhrpd's cache (`vtysh -c 'show ip nhrp'`), the IPsec SAs
-- (`swanctl --list-sas`) and the BGP neighbours (`vtysh -c 'show bgp summary'`), each as a table. When a tool is
-- missing or a daemon is not running, its table says so instead of being empty.
local cfe = require("cfe")
local toolresult = require("toolresult")
local nhrpcache = require("nhrpcache")
local swanctlsas = require("swanctlsas")
local bgpsummary = require("bgpsummary")

local M = {}

local NHRP = { "vtysh", "-c", "show ip nhrp" }
local BGP = { "vtysh", "-c", "show bgp summary" }
local SAS = { "swanctl", "--list-sas" }

-- stdout of a status command, or nil and a sentence saying why there is none.
local function run(argv)
  local result, err = acf.exec(argv, { timeout = 15 })
  local failure = toolresult.failure(argv[1], result, err)
  if failure then return nil, failure end
  return result.stdout
end

local function notes_descr(notes, base)
  if #notes == 0 then return base end
  return base .. " Lines not understood: " .. table.concat(notes, " | ")
end

local function nhrp_table()
  local text, err = run(NHRP)
  local parsed = nhrpcache.parse(text or "")
  return cfe.structure{ label = "NHRP cache", seq = 1, columns = nhrpcache.COLUMNS, value = parsed.rows,
    errtxt = err, descr = notes_descr(parsed.notes, "nhrpd's cache: the hubs (nhs), this box (local) and the "
      .. "peers it resolved (dynamic), from vtysh -c 'show ip nhrp'.") }
end

local function ipsec_tables()
  local text, err = run(SAS)
  local parsed = swanctlsas.parse(text or "")
  for _, row in ipairs(parsed.children) do
    row.state = row.state .. (row.installed and (", " .. swanctlsas.duration(row.installed)) or "")
  end
  local ike = cfe.structure{ label = "IPsec: IKE SAs", seq = 2, columns = swanctlsas.IKE_COLUMNS, value = parsed.ike,
    errtxt = err, descr = notes_descr(parsed.notes, "strongSwan's IKE SAs, from swanctl --list-sas.") }
  local children = cfe.structure{ label = "IPsec: CHILD SAs (ESP)", seq = 3, columns = swanctlsas.CHILD_COLUMNS,
    value = parsed.children, errtxt = err,
    descr = "The ESP SAs that carry the GRE packets: SPIs, bytes and packets each way, traffic selectors." }
  return ike, children
end

local function bgp_table()
  local text, err = run(BGP)
  local parsed = bgpsummary.parse(text or "")
  local about = {}
  for _, router in ipairs(parsed.routers) do
    about[#about + 1] = router.family .. ": router-id " .. router.router_id .. ", AS " .. router.local_as
  end
  local descr = #about > 0 and (table.concat(about, "; ") .. ".") or "BGP neighbours, from vtysh -c 'show bgp summary'."
  for _, message in ipairs(parsed.messages) do
    if not err and message:find("instance not found", 1, true) then
      err = "BGP is not configured on this box (bgpd: " .. message .. ")."
    else
      descr = descr .. " bgpd: " .. message .. "."
    end
  end
  return cfe.structure{ label = "BGP neighbours", seq = 4, columns = bgpsummary.COLUMNS, value = parsed.rows,
    errtxt = err, descr = notes_descr(parsed.notes, descr) }
end

function M.view(ctx)
  local ike, children = ipsec_tables()
  return cfe.group{
    label = "DMVPN status",
    descr = "Read when the page opened; reload the page to read again.",
    value = { nhrp = nhrp_table(), ike = ike, children = children, bgp = bgp_table() },
  }
end

return M
