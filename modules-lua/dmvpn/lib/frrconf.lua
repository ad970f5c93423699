-- frrconf: FRR's integrated /etc/frr/frr.conf as a lossless model. Every byte is kept; an edit touches only the
-- lines a caller owns (described by a matcher over a line's words), so a file parsed and written without a change
-- comes back byte for byte, and comments (`!`), unknown commands and other daemons' sections stay where they are.
--
-- Structure as vtysh reads it: a line at column 0 whose first word starts a node (interface, router, route-map, ...)
-- opens a block; the block runs to its `exit` (or `end`), to a `!` at column 0, or to the next node at column 0.
-- Inside `router bgp`, `address-family X` ... `exit-address-family` is a sub-block. Lines outside blocks are global.
local linelist = require("lines")

local M = {}
local Model = {}
Model.__index = Model

M.PATH = "/etc/frr/frr.conf"
M.DAEMONS = "/etc/frr/daemons"
-- FRR's own parser: rc 2 with "line N: % Unknown command" on errors; it needs no daemon and no vtysh.conf.
M.VALIDATOR = { "vtysh", "-C", "-f", "{file}" }

local NODES = { interface = true, router = true, ["route-map"] = true, line = true, vrf = true, key = true,
  ["segment-routing"] = true, bfd = true, pseudowire = true, ["nexthop-group"] = true, ["pbr-map"] = true,
  rpki = true, ["mpls"] = false }

local trim, words = linelist.trim, linelist.words

function M.parse(text)
  return linelist.model(Model, text, "index")
end

local function opens_block(text)
  if text:match("^%s") then return false end
  local first = text:match("^(%S+)")
  return first ~= nil and NODES[first] == true
end

-- Rebuilds the block index: self.blocks (header, last, close, words, afs) and self.owner[i] for every line.
function Model:index()
  local blocks, owner = {}, {}
  local current, af = nil, nil
  for i, line in ipairs(self.lines) do
    local body = trim(line.text)
    local col0 = not line.text:match("^%s")
    if current then
      if body == "exit" or body == "end" then
        current.close, current.last = i, i
        owner[i] = { block = current, role = "close" }
        current, af = nil, nil
        goto continue
      elseif col0 and (body:sub(1, 1) == "!" or opens_block(line.text)) then
        current, af = nil, nil
      end
    end
    if current then
      local w = words(body)
      if current.words[1] == "router" and w[1] == "address-family" then
        af = { name = table.concat(w, " ", 2), header = i, last = i }
        current.afs[#current.afs + 1] = af
        owner[i] = { block = current, af = af, role = "afheader" }
      elseif af and body == "exit-address-family" then
        af.close, af.last = i, i
        owner[i] = { block = current, af = af, role = "afclose" }
        af = nil
      else
        owner[i] = { block = current, af = af, role = "child" }
        if af then af.last = i end
      end
      current.last = i
    elseif opens_block(line.text) then
      current = { header = i, last = i, words = words(body), afs = {} }
      blocks[#blocks + 1] = current
      owner[i] = { block = current, role = "header" }
    end
    ::continue::
  end
  self.blocks, self.owner = blocks, owner
end

local function same_words(a, b)
  if #a ~= #b then return false end
  for k = 1, #a do
    if a[k] ~= b[k] then return false end
  end
  return true
end

-- The block whose header is exactly these words (`interface gre1`); a predicate over the header words also works.
function Model:block(header)
  for _, block in ipairs(self.blocks) do
    if type(header) == "function" then
      if header(block.words) then return block end
    elseif same_words(block.words, words(header)) then
      return block
    end
  end
  return nil
end

-- `router bgp N` of the default VRF, and its AS number.
function Model:bgp()
  local block = self:block(function(w) return w[1] == "router" and w[2] == "bgp" and #w == 3 end)
  return block, block and block.words[3] or nil
end

function Model:af(block, names)
  for _, af in ipairs(block and block.afs or {}) do
    for _, name in ipairs(names) do
      if af.name == name then return af end
    end
  end
  return nil
end

-- A scope names lines to look at: {} for the global lines, { block = HEADER } for a block's own lines (HEADER as
-- Model:block takes it), { block = HEADER, af = { "ipv4 unicast", "ipv4" } } for one of its address families.
-- Scopes are descriptions, resolved again after every edit (the index is rebuilt, line numbers move).
function Model:resolve(scope)
  if scope.block == nil then return nil, nil, true end
  local block = self:block(scope.block)
  if not block then return nil, nil, false end
  if scope.af then
    local af = self:af(block, scope.af)
    return block, af, af ~= nil
  end
  return block, nil, true
end

local function owned_by(owner, block, af, global)
  if global then return owner == nil end
  if not owner or owner.block ~= block or owner.role ~= "child" then return false end
  return owner.af == af
end

function Model:in_scope(i, scope)
  local block, af, exists = self:resolve(scope)
  if not exists then return false end
  return owned_by(self.owner[i], block, af, scope.block == nil)
end

-- The lines of the scopes whose words satisfy `match`: { {i=, words=} ... } in file order.
function Model:find(scopes, match)
  local resolved = {}
  for _, scope in ipairs(scopes) do
    local block, af, exists = self:resolve(scope)
    if exists then resolved[#resolved + 1] = { block = block, af = af, global = scope.block == nil } end
  end
  local found = {}
  for i, line in ipairs(self.lines) do
    local owner = self.owner[i]
    for _, r in ipairs(resolved) do
      if owned_by(owner, r.block, r.af, r.global) then
        local w = words(line.text)
        if w[1] and w[1]:sub(1, 1) ~= "!" and match(w) then found[#found + 1] = { i = i, words = w } end
        break
      end
    end
  end
  return found
end

-- The texts (words joined by one space) of the matching lines.
function Model:values(scopes, match)
  local list = {}
  for _, item in ipairs(self:find(scopes, match)) do list[#list + 1] = table.concat(item.words, " ") end
  return list
end

-- Where new lines of a scope go, and their indentation.
function Model:insert_point(scope)
  if scope.block == nil then
    -- Global lines go before the first block (after the preamble: frr version, hostname, service ...).
    local first = self.blocks[1]
    if not first then return #self.lines, "" end
    local at = first.header - 1
    while at > 0 and trim(self.lines[at].text):sub(1, 1) == "!" do at = at - 1 end
    return at, ""
  end
  local block, af = self:resolve(scope)
  local indent
  if af then
    for i = af.header + 1, af.last do
      if self.owner[i] and self.owner[i].role == "child" then
        indent = self.lines[i].text:match("^(%s*)")
        break
      end
    end
    local afindent = self.lines[af.header].text:match("^(%s*)")
    indent = indent or (afindent .. " ")
    return af.close and af.close - 1 or af.last, indent
  end
  for i = block.header + 1, block.last do
    local owner = self.owner[i]
    if owner and owner.role == "child" and not owner.af and trim(self.lines[i].text) ~= "" then
      indent = self.lines[i].text:match("^(%s*)")
      break
    end
  end
  indent = (indent and indent ~= "") and indent or " "
  local at = block.close and block.close - 1 or block.last
  if block.afs[1] then
    at = block.afs[1].header - 1
    while at > block.header and trim(self.lines[at].text):sub(1, 1) == "!" do at = at - 1 end
  end
  return at, indent
end

-- Inserts texts after line index `after`, keeping a missing final newline at the very end.
function Model:insert(after, texts)
  linelist.insert(self.lines, after, texts)
  self:index()
end

function Model:drop(set)
  self.lines = linelist.without(self.lines, set)
  self:index()
end

local function starts_with(long, short)
  if #short > #long then return false end
  for k = 1, #short do
    if long[k] ~= short[k] then return false end
  end
  return true
end

-- Makes the lines of `scopes` that satisfy `match` be exactly `wanted` (texts). A line whose words begin with a
-- wanted text is kept as written (`network 10.0.0.0/8 route-map X` satisfies `network 10.0.0.0/8`); other matching
-- lines are rewritten in place in order (indentation kept), the rest dropped, and missing ones added after the last
-- line of their kind, or at the end of `into` (default: the first scope).
function Model:sync(scopes, match, wanted, into)
  into = into or scopes[1]
  local existing = self:find(scopes, match)
  local used, pending = {}, {}
  for _, text in ipairs(wanted) do
    local want, hit = words(text), nil
    for k, item in ipairs(existing) do
      if not used[k] and starts_with(item.words, want) then
        hit = k
        break
      end
    end
    if hit then used[hit] = true else pending[#pending + 1] = text end
  end
  local rest = {}
  for k, item in ipairs(existing) do
    if not used[k] then rest[#rest + 1] = item end
  end
  local drop = {}
  local last
  for k, item in ipairs(existing) do
    if used[k] then last = math.max(last or 0, item.i) end
  end
  for k, item in ipairs(rest) do
    local text = pending[1]
    if text then
      table.remove(pending, 1)
      local line = self.lines[item.i]
      line.text = line.text:match("^(%s*)") .. text
      last = math.max(last or 0, item.i)
    else
      drop[item.i] = true
    end
  end
  if next(drop) then
    self:drop(drop)
    return self:sync(scopes, match, wanted, into)
  end
  if #pending > 0 then
    local at, indent = self:insert_point(into)
    if last and self:in_scope(last, into) then
      at = last
      indent = self.lines[last].text:match("^(%s*)")
    end
    local texts = {}
    for _, text in ipairs(pending) do texts[#texts + 1] = indent .. text end
    self:insert(at, texts)
  end
end

-- The order FRR writes its sections in: a new block goes after the last block of its kind, else before the first
-- block that FRR writes after it (interfaces before `router`, both before `route-map` and `line vty`), else at the end.
local RANK = { interface = 1, router = 2, ["route-map"] = 3, line = 9 }

-- Makes sure a block with this header exists, in FRR's `exit` + `!` style; returns it.
function Model:ensure_block(header)
  local found = self:block(header)
  if found then return found end
  local kind = words(header)[1]
  local rank = RANK[kind] or 5
  local after_same, before
  for _, block in ipairs(self.blocks) do
    if block.words[1] == kind then after_same = block end
    if not before and (RANK[block.words[1]] or 5) > rank then before = block end
  end
  if after_same then
    self:insert(after_same.last, { "!", header, "exit" })
  elseif before then
    self:insert(before.header - 1, { header, "exit", "!" })
  else
    local at = #self.lines
    local tail = {}
    if at > 0 and trim(self.lines[at].text) == "end" then at = at - 1 end
    if at > 0 and trim(self.lines[at].text):sub(1, 1) ~= "!" then tail[#tail + 1] = "!" end
    tail[#tail + 1] = header
    tail[#tail + 1] = "exit"
    tail[#tail + 1] = "!"
    self:insert(at, tail)
  end
  return self:block(header)
end

-- Makes sure the block of `header` has `address-family NAME` (any of `names`); a new one goes before its close.
function Model:ensure_af(header, names)
  local block = self:block(header)
  if self:af(block, names) then return end
  local at = block.close and block.close - 1 or block.last
  local texts = {}
  if at > block.header and trim(self.lines[at].text) ~= "!" then texts[#texts + 1] = " !" end
  texts[#texts + 1] = " address-family " .. names[1]
  texts[#texts + 1] = " exit-address-family"
  self:insert(at, texts)
end

-- Replaces a block's header line (a renamed interface, a new AS number), keeping its indentation.
function Model:set_header(block, header)
  local line = self.lines[block.header]
  if table.concat(words(line.text), " ") == header then return end
  line.text = line.text:match("^(%s*)") .. header
  self:index()
end

-- True when a text can be one FRR command line: no control characters, nothing that starts a comment.
function M.check_words(text)
  if type(text) ~= "string" or text == "" then return nil, "A value is needed." end
  if text:find("[%c\127]") then return nil, "Line breaks and control characters are not allowed." end
  if text:find("[!#]") then return nil, "'!' and '#' start a comment in frr.conf; they are not allowed." end
  return true
end

return M
