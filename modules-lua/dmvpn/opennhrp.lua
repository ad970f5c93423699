-- dmvpn/opennhrp: placeholder so that the manifest loads; the DMVPN work replaces it.
local cfe = require("cfe")

local M = {}

function M.edit(ctx)
  return cfe.text{ label = "DMVPN", value = "This page is being built." }
end

return M
