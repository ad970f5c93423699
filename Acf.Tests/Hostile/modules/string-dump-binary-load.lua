-- Dumps a function to bytecode and loads it back (crafted bytecode escapes the VM's checks): binary chunks are refused.
-- expect: attempt to load a binary chunk | only text chunks
local M = {}
function M.run()
  local dumped = string.dump(function() return 1 end)
  local f, err = load(dumped, "=x", "bt")
  if not f then error(err, 0) end
  return { type = "text", value = tostring(f()) }
end
return M
