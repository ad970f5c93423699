-- conffile: a config file read into a module's model and written back only when its text changed, checked by the
-- tool's validator on the candidate. The model gives its text with :text() and keeps what it was read from in
-- .original, so an unchanged save is no write (nothing validated, copied into history or audited).
local M = {}

-- The model of the file (parse(text)) and its tag, or nil and the broker's message.
function M.read(path, parse)
  local text, tag = acf.fs.read(path)
  if not text then return nil, tag end
  return parse(text), tag
end

-- changed (false when the text is the same), tag; or nil and the refusal (the validator's complaint, a conflict).
function M.write(path, model, tag, validator)
  if model:text() == model.original then return false, tag end
  return acf.fs.write(path, model:text(), tag ~= "" and tag or nil, { validate = validator })
end

return M
