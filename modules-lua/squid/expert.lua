-- expert: squid.conf as text; every save is checked with squid -k parse before it replaces the file.
local expert = require("expert")

local M = {}

function M.edit(ctx, input)
  return expert.form("/etc/squid/squid.conf", input, { validate = { "squid", "-k", "parse", "-f", "{file}" } })
end

return M
