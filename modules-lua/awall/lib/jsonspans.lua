-- jsonspans: reads JSON text into acf.json's value shape (objects made with acf.json.object, so key order is kept;
-- null is acf.json.null) and remembers, for every value, where it stands in the text: its byte span, and for every
-- member or item the whitespace around it. jsonedit uses the spans to write back only what an edit changed.
-- Strings are bytes: escapes are decoded, every other byte is kept as it is (a Latin-1 description stays Latin-1).
local M = {}

local json = acf.json

M.MAX_BYTES = 1024 * 1024
M.MAX_DEPTH = 64

local WS = "^[ \t\r\n]*"
local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

-- A fingerprint of a value: equal fingerprints mean equal JSON (key order included), so unchanged parts are found
-- without walking the text again.
function M.canon(value)
  local kind = type(value)
  if kind == "string" then return "s" .. #value .. ":" .. value end
  if kind == "number" then
    return math.type(value) == "integer" and ("i" .. value .. ";") or ("f" .. string.format("%.17g", value) .. ";")
  end
  if kind == "boolean" then return value and "T" or "F" end
  if value == json.null then return "N" end
  if kind ~= "table" then return "?" end
  local parts = {}
  if json.is_object(value) then
    for _, key in ipairs(json.keys(value)) do parts[#parts + 1] = M.canon(key) .. M.canon(value[key]) end
    return "{" .. table.concat(parts) .. "}"
  end
  for i = 1, #value do parts[i] = M.canon(value[i]) end
  return "[" .. table.concat(parts) .. "]"
end

local function utf8_of(code) return utf8.char(code) end

-- Parses `text`; returns the root node ({ value, s, e, kind, depth, members|items, close, canon }) or nil, message.
function M.parse(text)
  if type(text) ~= "string" then return nil, "not text" end
  if #text > M.MAX_BYTES then return nil, "the file is larger than " .. (M.MAX_BYTES // 1024) .. " KiB" end
  local pos = 1
  local function fail(message)
    local line = select(2, text:sub(1, pos):gsub("\n", "")) + 1
    error({ message = message .. " (line " .. line .. ")" }, 0)
  end
  local function skip()
    local _, last = text:find(WS, pos)
    local ws = text:sub(pos, last)
    pos = last + 1
    return ws
  end
  local function read_string()
    local parts, start = {}, pos + 1
    pos = start
    while true do
      local stop = text:find('["\\%c]', pos)
      if not stop then fail("a string is not closed") end
      parts[#parts + 1] = text:sub(pos, stop - 1)
      local c = text:sub(stop, stop)
      if c == '"' then pos = stop + 1; break end
      if c ~= "\\" then pos = stop; fail("a control character inside a string") end
      local e = text:sub(stop + 1, stop + 1)
      if ESCAPES[e] then
        parts[#parts + 1] = ESCAPES[e]
        pos = stop + 2
      elseif e == "u" then
        local hex = text:match("^%x%x%x%x", stop + 2)
        if not hex then pos = stop; fail("a bad \\u escape") end
        local code = tonumber(hex, 16)
        pos = stop + 6
        local low = code >= 0xD800 and code <= 0xDBFF and text:match("^\\u([dD][c-fC-F]%x%x)", pos)
        if low then
          code = 0x10000 + (code - 0xD800) * 0x400 + (tonumber(low, 16) - 0xDC00)
          pos = pos + 6
        end
        parts[#parts + 1] = utf8_of(code)
      else
        pos = stop; fail("a bad escape in a string")
      end
    end
    return table.concat(parts)
  end
  local read_value
  local function read_container(depth, open)
    local node = { depth = depth, kind = open == "{" and "object" or "array" }
    local value = open == "{" and json.object() or {}
    local list, canon = {}, {}
    pos = pos + 1
    local inner = skip()
    local close = open == "{" and "}" or "]"
    if text:sub(pos, pos) == close then
      pos = pos + 1
      node.close = inner
    else
      local lead = inner
      while true do
        local entry = { lead = lead }
        if open == "{" then
          if text:sub(pos, pos) ~= '"' then fail("a member name is expected") end
          local key_start = pos
          local key = read_string()
          if value[key] ~= nil then fail("the member '" .. key .. "' is given twice") end
          entry.key, entry.key_text = key, text:sub(key_start, pos - 1)
          local colon_start = pos
          skip()
          if text:sub(pos, pos) ~= ":" then fail("':' is expected after a member name") end
          pos = pos + 1
          skip()
          entry.colon = text:sub(colon_start, pos - 1)
        end
        entry.node = read_value(depth + 1)
        entry.trail = skip()
        if open == "{" then
          json.set(value, entry.key, entry.node.value)
          canon[#canon + 1] = M.canon(entry.key) .. entry.node.canon
        else
          value[#list + 1] = entry.node.value
          canon[#canon + 1] = entry.node.canon
        end
        list[#list + 1] = entry
        local c = text:sub(pos, pos)
        pos = pos + 1
        if c == close then break end
        if c ~= "," then pos = pos - 1; fail("',' or '" .. close .. "' is expected") end
        lead = skip()
      end
      node.close = list[#list].trail
      list[#list].trail = ""
    end
    node.entries, node.value = list, value
    node.canon = (open == "{" and "{" or "[") .. table.concat(canon) .. (open == "{" and "}" or "]")
    return node
  end
  read_value = function(depth)
    if depth > M.MAX_DEPTH then fail("nested deeper than " .. M.MAX_DEPTH .. " levels") end
    local start = pos
    local c = text:sub(pos, pos)
    local node
    if c == "{" or c == "[" then
      node = read_container(depth, c)
    elseif c == '"' then
      node = { value = read_string() }
    else
      local number = text:match("^%-?%d+%.?%d*[eE]?[+-]?%d*", pos)
      if number and number:match("^%-?0%d") then fail("a number with a leading zero") end
      if number and (number:match("^%-?%d+$") or number:match("^%-?%d+%.%d+$") or number:match("^%-?%d+%.?%d*[eE][+-]?%d+$")) then
        local integer = not number:find("[.eE]") and math.tointeger(tonumber(number))
        node = { value = integer or tonumber(number) + 0.0 }
        pos = pos + #number
      elseif text:find("^true", pos) then node = { value = true }; pos = pos + 4
      elseif text:find("^false", pos) then node = { value = false }; pos = pos + 5
      elseif text:find("^null", pos) then node = { value = json.null }; pos = pos + 4
      else fail("a value is expected") end
      if c ~= '"' and text:find("^[%w_]", pos) then fail("a value is expected") end
    end
    node.kind = node.kind or "scalar"
    node.depth = depth
    node.s, node.e = start, pos - 1
    node.canon = node.canon or M.canon(node.value)
    return node
  end
  local ok, root = pcall(function()
    skip()
    local node = read_value(0)
    skip()
    if pos <= #text then fail("text after the end of the JSON value") end
    return node
  end)
  if not ok then
    if type(root) == "table" and root.message then return nil, "not valid JSON: " .. root.message end
    error(root, 0)
  end
  return root
end

return M
