-- setmetatable on _ENV to fall back on something richer than the sandbox's globals: there is nothing richer.
-- expect: attempt to index a nil value
local M = {}
function M.run()
  local G, rawget_ = _G, rawget
  setmetatable(_ENV, { __index = function(_, k) return rawget_(G, k) or (G.package and G.package.loaded[k]) end })
  return io.open("/etc/shadow"):read("a")
end
return M
