-- rules: the rules the kernel has now, as iptables-save and ip6tables-save print them (read-only).
local cfe = require("cfe")

local M = {}

local function saved(argv)
  local run, err = acf.exec(argv, { timeout = 30 })
  if not run then return "", err end
  if run.status ~= 0 then return run.stdout, argv[1] .. " failed: " .. run.stderr end
  return run.stdout, nil
end

function M.view(ctx, input)
  local v4, err4 = saved({ "iptables-save" })
  local v6, err6 = saved({ "ip6tables-save" })
  return cfe.group{
    label = "Live firewall rules",
    descr = "What awall activated, as the kernel holds it. Change the rules through the policies, not here.",
    value = {
      ipv4 = cfe.raw{ label = "iptables-save", value = v4 ~= "" and v4 or "(no IPv4 rules)", errtxt = err4, seq = 1 },
      ipv6 = cfe.raw{ label = "ip6tables-save", value = v6 ~= "" and v6 or "(no IPv6 rules)", errtxt = err6, seq = 2 },
    },
  }
end

return M
