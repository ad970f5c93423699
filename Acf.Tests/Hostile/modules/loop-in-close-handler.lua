-- A to-be-closed variable whose __close loops: runs as ordinary code, so the limits stop it.
-- expect: stopped
local M = {}
function M.run()
  do
    local guard <close> = setmetatable({}, { __close = function() while true do end end })
  end
  return { type = "text", value = "x" }
end
return M
