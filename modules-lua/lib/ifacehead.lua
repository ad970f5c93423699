-- ifacehead: the head line of an ifupdown stanza, `iface NAME [FAMILY METHOD] [inherits TEMPLATE]` (or `template
-- ...`), read and rewritten in place: ifupdown-ng's own form names no family (`iface br0`), Debian's names family and
-- method (`iface eth0 inet static`). A rewrite keeps the line's indentation, spacing and what follows the words.
local M = {}

-- A stanza head's words with the whitespace before each (and after the last), so it can be rewritten in place.
local function split_head(text)
  local parts = {}
  for space, word in text:gmatch("(%s*)(%S+)") do parts[#parts + 1] = { space = space, word = word } end
  return parts, text:match("(%s*)$")
end

-- name, family, method and inherits of an `iface`/`template` line (family and method "" when it names none).
function M.parse(text)
  local parts = split_head(text)
  local word = function(k) return parts[k] and parts[k].word or "" end
  local head = { name = word(2), family = "", method = "", inherits = "" }
  local k = 3
  if word(k) ~= "" and word(k) ~= "inherits" then
    head.family, head.method, k = word(k), word(k + 1), k + 2
  end
  if word(k) == "inherits" then head.inherits = word(k + 1) end
  return head
end

-- The head line rewritten to name, family and method, keeping its indentation, spacing and what follows (inherits).
function M.rewrite(text, name, family, method)
  local parts, tail = split_head(text)
  parts[2].word = name
  local has_family = parts[3] ~= nil and parts[3].word ~= "inherits"
  local rest = has_family and 5 or 3
  local out = { parts[1].space, parts[1].word, parts[2].space, parts[2].word }
  if family ~= "" then
    out[#out + 1] = has_family and parts[3].space or " "
    out[#out + 1] = family
    if method ~= "" then
      out[#out + 1] = has_family and parts[4] and parts[4].space or " "
      out[#out + 1] = method
    end
  end
  for k = rest, #parts do
    out[#out + 1] = parts[k].space
    out[#out + 1] = parts[k].word
  end
  out[#out + 1] = tail
  return table.concat(out)
end

local function check_word(what, text)
  if type(text) ~= "string" or not text:match("^[%w._:%-]+$") then
    return nil, "The " .. what .. " must be letters, digits, '.', ':', '_' and '-'."
  end
  return true
end

-- Checks a head's words: ifupdown-ng's head has neither family nor method, Debian's both.
function M.check(name, family, method)
  local ok, message = check_word("interface name", name)
  if not ok then return nil, message end
  if family == "" and method == "" then return true end
  ok, message = check_word("address family", family)
  if not ok then return nil, message end
  return check_word("method", method)
end

return M
