-- valid: named datatypes validated in one place. Each returns the clean value, or nil and a message for the field.
local M = {}

-- ACF's rule: 1 to 63 characters of letters, digits and '-', not starting or ending with '-'.
function M.hostname(text)
  if type(text) ~= "string" then return nil, "Enter a host name." end
  if #text < 1 or #text > 63 then return nil, "A host name has 1 to 63 characters." end
  if text:find("[^%-0-9a-zA-Z]") then return nil, "A host name has only letters, digits and '-'." end
  if text:find("^%-") or text:find("%-$") then return nil, "A host name cannot start or end with '-'." end
  return text
end

return M
