-- A string that doubles until it cannot: stopped by the memory limit, not the machine's.
-- expect: memory limit | not enough memory
local M = {}
function M.run()
  local parts = { ("z"):rep(1 << 16) }
  while true do parts = { table.concat(parts), table.concat(parts) } end
end
return M
