-- expert: the raw files of the base system, for admins who know them.
local cfe = require("cfe")
local expert = require("expert")

local M = {}
local FILES = { "/etc/hostname", "/etc/hosts", "/etc/motd" }

function M.edit(ctx, input)
  local chosen = cfe.query(input, "file", FILES[1])
  local known = false
  for _, file in ipairs(FILES) do known = known or file == chosen end
  if not known then
    return cfe.form{ label = "Expert", errtxt = "Choose one of the files offered.", value = {} }
  end
  local form = expert.form(chosen, input)
  form.value.file = cfe.select{ label = "File", value = chosen, option = FILES, seq = 0,
    descr = "Open another file with ?file= or pick it here and press Show changes." }
  return form
end

return M
