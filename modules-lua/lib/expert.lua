-- expert: ACF's expert mode for any module: the raw file, the changes shown before saving, refusal when the file
-- changed meanwhile, and the module's validator run on the new content before it replaces the file.
--   function M.expert(ctx, input) return expert.form("/etc/squid/squid.conf", input, { validate = { "squid", "-k", "parse", "-f", "{file}" } }) end
-- The manifest must let the module write the file (and run the validator, when there is one).
local cfe = require("cfe")
local lines = require("lines")

local M = {}

-- A file that is not UTF-8 (Latin-1, as older configs are) is shown as Latin-1: every byte one character, so the
-- text area can edit it and the save gives back the same bytes. A character beyond Latin-1 cannot be saved into it.
local function from_latin1(text)
  return (text:gsub("[\128-\255]", function(c) return utf8.char(c:byte()) end))
end

local function to_latin1(text)
  if text:find("[\196-\255]") then return nil end
  return (text:gsub("[\194\195][\128-\191]", function(pair) return string.char(utf8.codepoint(pair)) end))
end

function M.form(path, input, options)
  options = options or {}
  local text, tag = acf.fs.read(path)
  local latin1 = text ~= nil and utf8.len(text) == nil
  local form = cfe.form{
    label = "Edit " .. path,
    option = { "Show changes", "Save" },
    descr = options.validate and ("Saving checks the file with " .. options.validate[1] .. " first.") or nil,
    errtxt = not text and tag or nil,
    value = {
      content = cfe.longtext{ label = path, value = latin1 and from_latin1(text) or text or "", seq = 1,
        descr = latin1 and "This file is not UTF-8: it is shown and saved as Latin-1 (ISO 8859-1)." or nil },
      changes = cfe.raw{ label = "Changes", value = "", seq = 2 },
      tag = cfe.tag(text and tag),
      path = cfe.hidden{ value = path },
    },
  }
  -- The content on the page belongs to the file it was opened for: another file chosen means open, never save.
  if not input or not input.submit or input.path ~= path then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local new = form.value.content.value
  if latin1 then
    new = to_latin1(new)
    if not new then
      return cfe.fail(form, { content = "This file is Latin-1: it cannot hold characters beyond Latin-1 (ISO 8859-1)." },
        "Nothing was saved.")
    end
  end
  new = lines.keep_endings(text, new) -- CRLF and a missing final newline survive
  local diff = acf.text.diff(text or "", new, "current", "new")
  form.value.changes.value = diff ~= "" and diff or "(no change)"
  if input.submit == "Show changes" then
    form.submitted = false -- only a preview: nothing was saved, so no result message
    return form
  end
  local changed, tag_or_err = acf.fs.write(path, new, cfe.expected_tag(form), { validate = options.validate })
  if changed == nil then return cfe.fail(form, { content = tag_or_err }, "Nothing was saved.") end
  form.value.tag.value = tag_or_err
  return cfe.done(form, changed and (path .. " saved.") or "Nothing changed.")
end

return M
