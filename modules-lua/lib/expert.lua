-- expert: ACF's expert mode for any module: the raw file, the changes shown before saving, refusal when the file
-- changed meanwhile, and the module's validator run on the new content before it replaces the file.
--   function M.expert(ctx, input) return expert.form("/etc/squid/squid.conf", input, { validate = { "squid", "-k", "parse", "-f", "{file}" } }) end
-- The manifest must let the module write the file (and run the validator, when there is one).
local cfe = require("cfe")

local M = {}

local function normalize(text)
  text = text:gsub("\r\n", "\n")
  if text ~= "" and text:sub(-1) ~= "\n" then text = text .. "\n" end
  return text
end

function M.form(path, input, options)
  options = options or {}
  local text, tag = acf.fs.read(path)
  local form = cfe.form{
    label = "Edit " .. path,
    option = { "Show changes", "Save" },
    descr = options.validate and ("Saving checks the file with " .. options.validate[1] .. " first.") or nil,
    errtxt = not text and tag or nil,
    value = {
      content = cfe.longtext{ label = path, value = text or "", seq = 1 },
      changes = cfe.raw{ label = "Changes", value = "", seq = 2 },
      tag = cfe.hidden{ value = text and tag or "" },
      path = cfe.hidden{ value = path },
    },
  }
  -- The content on the page belongs to the file it was opened for: another file chosen means open, never save.
  if not input or not input.submit or input.path ~= path then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local new = normalize(form.value.content.value)
  local diff = acf.text.diff(text or "", new, "current", "new")
  form.value.changes.value = diff ~= "" and diff or "(no change)"
  if input.submit == "Show changes" then
    form.submitted = false -- only a preview: nothing was saved, so no result message
    return form
  end
  local expected = form.value.tag.value ~= "" and form.value.tag.value or nil
  local changed, tag_or_err = acf.fs.write(path, new, expected, { validate = options.validate })
  if changed == nil then return cfe.fail(form, { content = tag_or_err }, "Nothing was saved.") end
  form.value.tag.value = tag_or_err
  return cfe.done(form, changed and (path .. " saved.") or "Nothing changed.")
end

return M
