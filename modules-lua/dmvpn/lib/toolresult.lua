-- toolresult: what a status page says when a command it runs is missing or fails, in one plain sentence, instead of an
-- empty table. `result` and `err` are what acf.exec returned.
local M = {}

-- Noise some builds print on stderr before the real message: Debian's swanctl about plugins it was built without,
-- vtysh about a missing vtysh.conf.
local NOISE = { "^plugin '.-': failed to load", "^%% Can't open configuration file" }

local function is_noise(line)
  for _, pattern in ipairs(NOISE) do
    if line:find(pattern) then return true end
  end
  return false
end

-- The line of stderr (else stdout) that says what went wrong: a line starting "Error:" wins (swanctl prints its usage
-- after it), else the first line that is not noise.
function M.message(text)
  local first
  for line in (text or ""):gmatch("[^\n]+") do
    line = line:gsub("\r$", ""):match("^%s*(.-)%s*$")
    if line ~= "" and not is_noise(line) then
      if line:find("^Error:") then return line end
      first = first or line
    end
  end
  return first
end

-- nil when the command ran and its output can be read; else a message naming the tool.
function M.failure(tool, result, err)
  if not result then return tool .. " could not be run: " .. tostring(err) end
  if result.timed_out then return tool .. " did not answer in time." end
  if result.status == 127 then return tool .. " is not installed on this host." end
  if result.status ~= 0 then
    local why = M.message(result.stderr) or M.message(result.stdout)
    return tool .. " failed (exit status " .. tostring(result.status) .. ")" .. (why and (": " .. why) or ".")
  end
  return nil
end

return M
