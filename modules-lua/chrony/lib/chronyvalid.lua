-- chronyvalid: one time source line as chrony.conf takes it: server|pool|peer, a host name or address, options.
local lines = require("lines")
local valid = require("valid")

local M = {}

local FLAGS = { iburst = true, burst = true, prefer = true, noselect = true, trust = true, require = true,
  xleave = true, nts = true, offline = true, auto_offline = true, copy = true, extfield = true }
local WITH_NUMBER = { minpoll = true, maxpoll = true, polltarget = true, port = true, key = true, maxsources = true,
  version = true, minstratum = true, maxdelay = true, maxdelayratio = true, maxdelaydevratio = true, offset = true,
  mindelay = true, asymmetry = true, presend = true, filter = true, ntsport = true, certset = true, maxsamples = true,
  minsamples = true }

-- nil when the line is good, else why not.
function M.source(text)
  if text:find("[%c\127]") then return "Line breaks and control characters are not allowed." end
  local words = lines.words(text)
  local kind, host = words[1], words[2] or ""
  if kind ~= "server" and kind ~= "pool" and kind ~= "peer" then
    return "Start with server, pool or peer (pool pool.ntp.org iburst)."
  end
  if host:sub(1, 1) == "-" or not (valid.is_hostname(host) or valid.is_ipv4(host) or valid.is_ipv6(host)) then
    return "'" .. host .. "' is not a host name or an address."
  end
  local k = 3
  while words[k] do
    local option = words[k]
    if WITH_NUMBER[option] then
      if not (words[k + 1] and words[k + 1]:match("^%-?%d+%.?%d*$")) then return option .. " needs a number after it." end
      k = k + 2
    elseif FLAGS[option] then
      k = k + 1
    else
      return "'" .. option .. "' is not an option chrony knows for a source (iburst, prefer, minpoll 4, ...)."
    end
  end
end

return M
