-- probe: the diagnostics commands as argv lists with their limits fixed here, and the check of what a user may hand
-- them. A target reaches a command only as one argv word after "--" (nslookup: after its fixed words), and only when
-- it is a host name or an IP literal, so nothing typed can become an option ("-f", "--help") or a second word.
local valid = require("valid")

local M = {}

-- What each tool runs: the words before the target are the manifest's exec capability, word for word.
M.tools = {
  ping = { argv = { "ping", "-c", "4", "-w", "10", "--" }, timeout = 15 },
  traceroute = { argv = { "traceroute", "-n", "-m", "20", "-q", "1", "-w", "2", "--" }, timeout = 50 },
  lookup = { argv = { "nslookup" }, timeout = 15 },
}

-- The target as the command will get it, or nil and the field's message.
function M.target(text)
  if type(text) ~= "string" or text == "" then return nil, "Enter a host name or an IP address." end
  if text:find("^%-") then return nil, "A target cannot begin with '-'." end
  if text:find("[%s%c]") then return nil, "A target has no spaces or control characters." end
  if #text > 253 then return nil, "A host name has at most 253 characters." end
  if valid.is_ipv4(text) or valid.is_ipv6(text, true) then return text end
  if text:find("^[%d.]+$") then return nil, "Not a valid IPv4 address." end
  if valid.is_hostname((text:gsub("%.$", ""))) then return text end
  return nil, "Enter a host name (letters, digits, '-', '.') or an IPv4 or IPv6 address."
end

-- The DNS server for a lookup: empty (the system's resolvers) or an IP literal.
function M.server(text)
  if text == nil or text == "" then return "" end
  if type(text) == "string" and (valid.is_ipv4(text) or valid.is_ipv6(text)) then return text end
  return nil, "Enter the DNS server's IPv4 or IPv6 address, or leave it empty."
end

-- The argv of one run: the tool's fixed words, then the checked target (and a lookup's server).
function M.argv(tool, target, server)
  local argv = { table.unpack(M.tools[tool].argv) }
  argv[#argv + 1] = target
  if server and server ~= "" then argv[#argv + 1] = server end
  return argv
end

-- Runs the tool live (its lines reach the page as they come): the text to show, nil, and acf.exec's result; or nil
-- and why it did not run.
function M.run(tool, target, server)
  local result, err = acf.exec(M.argv(tool, target, server), { live = true, timeout = M.tools[tool].timeout })
  if not result then return nil, err end
  local text = result.stdout
  if result.stderr ~= "" then text = text .. (text ~= "" and not text:find("\n$") and "\n" or "") .. result.stderr end
  if result.simulated and text == "" then
    text = "(The demo host simulates " .. M.tools[tool].argv[1] .. " and has no recording for this target.)"
  end
  if result.timed_out then text = text .. "\n(stopped at the time limit of " .. M.tools[tool].timeout .. " s)" end
  if result.truncated then text = text .. "\n(output cut: too long)" end
  return text, nil, result
end

return M
