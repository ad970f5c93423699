-- repositories: /etc/apk/repositories, one repository per line (an URL or a local path, optionally tagged @name).
local cfe = require("cfe")
local lines = require("lines")

local M = {}
local PATH = "/etc/apk/repositories"

-- A line apk accepts: a comment, a blank line, or "[@tag ]URL-or-path".
local function check_line(line)
  if line:match("^%s*$") or line:match("^%s*#") then return true end
  local repository = line:match("^@[%w._-]+%s+(%S+)%s*$") or line:match("^(%S+)%s*$")
  if not repository then return nil, "one repository per line" end
  if not (repository:match("^https?://[%w%-._~:/%%]+$") or repository:match("^/[%w%-._/]+$")) then
    return nil, "'" .. repository .. "' is neither an http(s) URL nor an absolute path"
  end
  return true
end

function M.edit(ctx, input)
  local text, tag = acf.fs.read(PATH)
  local form = cfe.form{
    label = "Repositories",
    option = { "Save" },
    descr = "One repository per line; lines starting with # are comments. Run 'Update index' after a change.",
    value = {
      repositories = cfe.longtext{ label = PATH, value = text or "", seq = 1 },
      tag = cfe.tag(tag),
    },
  }
  if not text then form.errtxt = tag end
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local new = lines.keep_endings(text, form.value.repositories.value) -- the file's CRLF and last line kept
  local number = 0
  for line in (new .. "\n"):gmatch("([^\n]*)\r?\n") do
    number = number + 1
    local ok, why = check_line(line)
    if not ok then return cfe.fail(form, { repositories = "Line " .. number .. ": " .. why .. "." }) end
  end
  return cfe.saved(form, "Repositories saved.", acf.fs.write(PATH, new, cfe.expected_tag(form)))
end

return M
