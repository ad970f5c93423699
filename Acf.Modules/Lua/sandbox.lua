-- The sandbox prelude: runs once in every new Lua state, before any module code.
-- It receives the raw host functions (which never raise: they return ok, ... or false, kind, message), keeps private
-- references to what it needs, removes what modules must not have, and returns `run`, which runs one action. A worker
-- may run several actions of one module and user in the same state (LuaStatePool): every table an action can reach is
-- new for that action (`new_action`), and what the state shares between actions (the real library tables, the
-- string metatable, the wrappers' upvalues) is out of module code's reach.
local host = ...

local sethook = debug.sethook
local error, pcall, type, select, tostring, next, pairs, ipairs = error, pcall, type, select, tostring, next, pairs, ipairs
local setmetatable, getmetatable, rawget, rawset, rawequal, rawlen = setmetatable, getmetatable, rawget, rawset, rawequal, rawlen
local load, tonumber, assert = load, tonumber, assert
local string, table, math, utf8 = string, table, math, utf8
local STRING_MT = getmetatable("")
local pack, unpack = table.pack, table.unpack
local randomseed = math.randomseed
local str_find, str_match, str_gmatch, str_gsub, str_byte = string.find, string.match, string.gmatch, string.gsub, string.byte

-- Nothing of the standard globals that reaches outside the state stays reachable.
debug, dofile, loadfile = nil, nil, nil

-- Pattern guard: Lua's matcher backtracks in C, where no hook can stop it, so patterns with many quantifiers
-- (the exponential kind, ('a?'):rep(30)..('a'):rep(30)) are refused. 16 leaves room for real line parsers (a `df`
-- line takes 11) while 2^16 backtracking steps stay fast. This bounds only the worst known case; polynomial patterns
-- are left to the runner's watchdog. DEBT: worker processes that can be killed are the real fix (DESIGN.md).
local MAX_QUANTIFIERS = 16
-- Patterns found simple enough, so that a parser matching the same few patterns on every line counts each once (the
-- count walks the pattern in Lua and cost more than the match). Bounded: dynamic patterns cannot grow it for ever.
-- The state keeps it between actions; only short patterns, so that what it holds stays small.
local simple, simple_count, MAX_SIMPLE, MAX_SIMPLE_LENGTH = {}, 0, 512, 256
local function check_pattern(pattern, plain)
  if plain or simple[pattern] then return end
  if type(pattern) ~= "string" then return end
  local count, i, n = 0, 1, #pattern
  while i <= n do
    local c = str_byte(pattern, i)
    if c == 37 then -- '%': skip the escaped character
      i = i + 2
    elseif c == 91 then -- '[': a set is one item; a '-' inside it is a range, not a quantifier
      i = i + 1
      if str_byte(pattern, i) == 94 then i = i + 1 end -- '^'
      if str_byte(pattern, i) == 93 then i = i + 1 end -- a leading ']' is literal
      while i <= n and str_byte(pattern, i) ~= 93 do
        i = i + (str_byte(pattern, i) == 37 and 2 or 1)
      end
      i = i + 1
    elseif c == 42 or c == 43 or c == 45 or c == 63 then -- '*', '+', '-', '?'
      count = count + 1
      i = i + 1
    else
      i = i + 1
    end
  end
  if count > MAX_QUANTIFIERS then
    error("pattern too complex: more than " .. MAX_QUANTIFIERS .. " quantifiers", 3)
  end
  if simple_count < MAX_SIMPLE and n <= MAX_SIMPLE_LENGTH then
    simple[pattern] = true
    simple_count = simple_count + 1
  end
end
-- A plain find compares in C too: refuse the quadratic worst case of a huge needle in a huge haystack.
local MAX_PLAIN_WORK = 1e9
-- The wrappers look a known pattern up themselves: a second Lua call for every match of every line cost a parser
-- more than the lookup (Debian's squid.conf read: 1.26x plain Lua with the call, see docs/benchmarks.md).
string.find = function(s, p, init, plain)
  if plain then
    if type(s) == "string" and type(p) == "string" and #s * #p > MAX_PLAIN_WORK then
      error("string.find: subject and pattern too large for a plain search", 2)
    end
  elseif not simple[p] then
    check_pattern(p)
  end
  return str_find(s, p, init, plain)
end
string.match = function(s, p, init) if not simple[p] then check_pattern(p) end return str_match(s, p, init) end
string.gmatch = function(s, p, init) if not simple[p] then check_pattern(p) end return str_gmatch(s, p, init) end
string.gsub = function(s, p, r, n) if not simple[p] then check_pattern(p) end return str_gsub(s, p, r, n) end

-- Calls a raw host function; denial and malformed requests are module bugs and raise, the rest is `nil, message`.
-- Every acf.* wrapper tail-calls this, so level 2 is the module line that called acf.*.
local RAISE_SOME = { denied = true, invalid = true }
local RAISE_ALL = setmetatable({}, { __index = function() return true end })
local function call(raise, fn, ...)
  local r = pack(fn(...))
  if r[1] then return unpack(r, 2, r.n) end
  if raise[r[2]] then error(r[3], 2) end
  return nil, r[3]
end

-- table.move loops in C over the whole range, even an empty one: bound the range.
local tbl_move = table.move
local MAX_MOVE = 1e7
table.move = function(a1, f, e, t, a2)
  if type(f) == "number" and type(e) == "number" and e - f > MAX_MOVE then
    error("table.move: range too large", 2)
  end
  return tbl_move(a1, f, e, t, a2)
end

local function log(...)
  local parts = pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  host.log(table.concat(parts, " ", 1, parts.n))
end

-- JSON: objects remember their key order under JSON_KEYS (a table, so no JSON key can be it); JSON_NULL is null.
-- Both are new for each action (`new_action`): module code can reach them, so they must not outlive it.
local JSON_KEYS, JSON_NULL
local function json_keys(object)
  local list, seen = {}, {}
  local order = rawget(object, JSON_KEYS)
  if type(order) == "table" then
    for _, key in ipairs(order) do
      if rawget(object, key) ~= nil and not seen[key] then list[#list + 1] = key; seen[key] = true end
    end
  end
  local extra = {}
  for key in next, object do
    if type(key) == "string" and not seen[key] then extra[#extra + 1] = key end
  end
  table.sort(extra)
  for _, key in ipairs(extra) do list[#list + 1] = key end
  return list
end
local json = {
  decode = function(text) return call(RAISE_SOME, host.json_decode, text, JSON_KEYS, JSON_NULL) end,
  encode = function(value, indent) return call(RAISE_SOME, host.json_encode, value, JSON_KEYS, JSON_NULL, indent) end,
  -- A new empty object (encodes as {} rather than []); `keys` gives its first keys in order.
  object = function(keys)
    local object = {}
    rawset(object, JSON_KEYS, type(keys) == "table" and { unpack(keys) } or {})
    return object
  end,
  is_object = function(value) return type(value) == "table" and rawget(value, JSON_KEYS) ~= nil end,
  -- The keys of an object in the order it will be written.
  keys = json_keys,
  -- Sets a member; a new key goes at the end of the object, nil removes it.
  set = function(object, key, value)
    local order = rawget(object, JSON_KEYS)
    if type(order) ~= "table" then order = {}; rawset(object, JSON_KEYS, order) end
    if value ~= nil and rawget(object, key) == nil then
      local listed = false
      for _, k in ipairs(order) do if k == key then listed = true end end
      if not listed then order[#order + 1] = key end
    end
    rawset(object, key, value)
  end,
}

-- awall's optional policies: `awall enable NAME` makes the link /etc/awall/NAME.json -> optional/NAME.json, and
-- disable removes it. Built on the generic link call (kept for the awall module; it may call acf.fs.link itself);
-- answers like the command did: { status = 0 } or nil, message.
local function awall_switch(name, enabled)
  if type(name) ~= "string" or #name > 64 or not name:match("^[%w][%w_.-]*$") then
    error("acf.awall: not a valid awall policy name", 3)
  end
  local ok, err = call(RAISE_SOME, host.fs_link, "/etc/awall/" .. name .. ".json", enabled and ("optional/" .. name .. ".json") or nil)
  if ok == nil then return nil, err end
  return { status = 0, stdout = "", stderr = "", timed_out = false, truncated = false, simulated = false }
end

local acf = {
  json = json,
  awall = {
    enable = function(name) return awall_switch(name, true) end,
    disable = function(name) return awall_switch(name, false) end,
  },
  fs = {
    remove = function(path, tag) return call(RAISE_SOME, host.fs_remove, path, tag) end,
    link = function(path, target) return call(RAISE_SOME, host.fs_link, path, target) end,
    read = function(path, options) return call(RAISE_SOME, host.fs_read, path, options) end,
    write = function(path, text, tag, options) return call(RAISE_SOME, host.fs_write, path, text, tag, options) end,
    list = function(path) return call(RAISE_SOME, host.fs_list, path) end,
    stat = function(path) return call(RAISE_SOME, host.fs_stat, path) end,
    mkdir = function(path, mode) return call(RAISE_SOME, host.fs_mkdir, path, mode) end,
    write_new_key = function(path, text, tag) return call(RAISE_SOME, host.fs_write_new_key, path, text, tag) end,
  },
  exec = function(argv, options) return call(RAISE_SOME, host.exec, argv, options) end,
  service = {
    list = function() return call(RAISE_SOME, host.service_list) end,
    runlevels = function() return call(RAISE_SOME, host.service_runlevels) end,
    start = function(name) return call(RAISE_SOME, host.service_control, name, "start") end,
    stop = function(name) return call(RAISE_SOME, host.service_control, name, "stop") end,
    restart = function(name) return call(RAISE_SOME, host.service_control, name, "restart") end,
    reload = function(name) return call(RAISE_SOME, host.service_control, name, "reload") end,
    set_runlevels = function(name, levels) return call(RAISE_SOME, host.service_set_runlevels, name, levels) end,
  },
  apk = {
    installed = function() return call(RAISE_SOME, host.apk_state, "installed") end,
    world = function() return call(RAISE_SOME, host.apk_state, "world") end,
    -- query (optional): { name = } every version of one package, or { filter =, offset =, limit = } a page of the
    -- newest version of each name; the list's `total` says how many matched.
    available = function(query) return call(RAISE_SOME, host.apk_state, "available", query) end,
    upgradable = function() return call(RAISE_SOME, host.apk_state, "upgradable") end,
    repositories = function() return call(RAISE_SOME, host.apk_state, "repositories") end,
    add = function(names) return call(RAISE_SOME, host.apk_run, "add", names) end,
    del = function(names) return call(RAISE_SOME, host.apk_run, "del", names) end,
    update = function() return call(RAISE_SOME, host.apk_run, "update") end,
    upgrade = function() return call(RAISE_SOME, host.apk_run, "upgrade") end,
  },
  text = {
    diff = function(old, new, old_name, new_name) return call(RAISE_SOME, host.text_diff, old, new, old_name, new_name) end,
    crypt = function(password) return call(RAISE_SOME, host.text_crypt, password) end,
    base64_decode = function(text) return call(RAISE_SOME, host.text_base64_decode, text) end,
    ssh_fingerprint = function(key) return call(RAISE_SOME, host.text_ssh_fingerprint, key) end,
  },
  crypto = {
    pkcs12 = function(bytes, password) return call(RAISE_SOME, host.crypto_pkcs12, bytes, password) end,
    pem = function(text) return call(RAISE_SOME, host.crypto_pem, text) end,
    x25519_pair = function() return call(RAISE_SOME, host.crypto_x25519_pair) end,
    x25519_public = function(private) return call(RAISE_SOME, host.crypto_x25519_public, private) end,
  },
  lbu = {
    status = function() return call(RAISE_SOME, host.lbu_read, "status") end,
    list = function() return call(RAISE_SOME, host.lbu_read, "list") end,
    backups = function() return call(RAISE_SOME, host.lbu_read, "backups") end,
    config = function() return call(RAISE_SOME, host.lbu_read, "config") end,
    committed = function(path) return call(RAISE_SOME, host.lbu_read, "committed", path) end,
    package = function() return call(RAISE_SOME, host.lbu_read, "package") end,
    members = function(archive) return call(RAISE_SOME, host.lbu_members, archive) end,
    commit = function(password, keep_old) return call(RAISE_SOME, host.lbu_change, "commit", password, keep_old == true) end,
    revert = function(name) return call(RAISE_SOME, host.lbu_change, "revert", name) end,
    include = function(path) return call(RAISE_SOME, host.lbu_change, "include", path) end,
    exclude = function(path) return call(RAISE_SOME, host.lbu_change, "exclude", path) end,
    remove_rule = function(path) return call(RAISE_SOME, host.lbu_change, "removerule", path) end,
  },
  user = function() return call(RAISE_ALL, host.user) end,
  log = log,
  -- The step a long save is in, shown while it runs: acf.progress("Checking squid.conf").
  progress = function(text) host.progress(tostring(text)) end,
}

-- The globals every module and library of an action sees, copied into the action's own `_G` (`new_action`).
local base = {
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = rawset, select = select,
  tonumber = tonumber, tostring = tostring, type = type, getmetatable = getmetatable,
  print = log, _VERSION = _VERSION,
}

-- __gc finalizers run with hooks off: refuse metatables that carry one.
base.setmetatable = function(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then error("__gc metamethods are not allowed", 2) end
  return setmetatable(t, mt)
end

-- xpcall's message handler runs with hooks off: run the handler as ordinary code after the call instead.
base.xpcall = function(f, handler, ...)
  local r = pack(pcall(f, ...))
  if r[1] then return unpack(r, 1, r.n) end
  return false, handler(r[2])
end

base.collectgarbage = function(opt)
  if opt == "count" then return collectgarbage("count") end
  error("collectgarbage: only \"count\" is allowed", 2)
end

-- The action's own globals and require cache, set by `new_action`.
local globals, loaded

-- A chunk's globals: its own table, falling back on the action's (writes stay in the chunk's table).
local function new_env() return setmetatable({}, { __index = globals }) end

-- Text chunks only, and never the real globals.
base.load = function(chunk, name, mode, env)
  if type(chunk) ~= "string" then return nil, "load: only text chunks (strings) are allowed" end
  return load(chunk, name, "t", env or new_env())
end

base.require = function(name)
  if type(name) ~= "string" then error("require: the name must be a string", 2) end
  local cached = loaded[name]
  if cached ~= nil then return cached end
  local found, kind_or_code, message = host.lib_source(name)
  if not found then error(message or kind_or_code, 2) end
  -- The host compiled the library's text and hands over its bytecode (module code itself can load only text).
  local chunk, perr = load(kind_or_code, "@lib/" .. name .. ".lua", "b", new_env())
  if not chunk then error(perr, 2) end
  local result = chunk(name)
  if result == nil then result = true end
  loaded[name] = result
  return result
end

-- Instruction and time limits. Once tripped, every further instruction fails, so a pcall cannot swallow the stop.
-- Each step calls into the host (the clock, the memory account): every 10,000 instructions (some tens of µs) costs a
-- few per cent; every 1,000 cost about a fifth of a parser's time.
local STEP = 10000
local used = 0
local function trip(message)
  sethook(function() error(message, 0) end, "", 1)
  error(message, 0)
end
local function start_limits()
  used = 0
  sethook(function()
    used = used + STEP
    local stop = host.over_limit(used)
    if stop then trip(stop) end
  end, "", STEP)
end

-- Shared tables as an action sees them: a new empty table per action whose reads fall through to the shared one and
-- whose writes (rawset too) stay in it; its metatable is protected, so the shared table is never reached.
local function view_of(shared) return { __index = shared, __metatable = false } end
local LIBRARY_VIEWS = { string = view_of(string), table = view_of(table), math = view_of(math), utf8 = view_of(utf8) }
local ACF_VIEW, ACF_PART_VIEWS = view_of(acf), {}
for name, part in next, acf do
  if type(part) == "table" then ACF_PART_VIEWS[name] = view_of(part) end
end

-- Everything module code can reach, new for this action: its _G (a copy of base), the library tables and acf's as
-- views, the JSON sentinels, what getmetatable("") answers, and require's cache; and math.random's generator is seeded
-- again, so that no action can choose the numbers of the next.
local function new_action()
  randomseed()
  JSON_KEYS, JSON_NULL = {}, {}
  local g = {}
  for name, value in next, base do g[name] = value end
  for name, view in next, LIBRARY_VIEWS do g[name] = setmetatable({}, view) end
  local parts = {}
  for name, view in next, ACF_PART_VIEWS do parts[name] = setmetatable({}, view) end
  parts.json.KEYS, parts.json.null = JSON_KEYS, JSON_NULL
  g.acf = setmetatable(parts, ACF_VIEW)
  g._G = g
  -- The real string metatable stays as it is; what a module sees of it is this action's (its __index: this string).
  STRING_MT.__metatable = { __index = g.string }
  globals, loaded = g, {}
end

-- After an action that ended well: the state keeps nothing of it (what it made is garbage for the collection that
-- follows), and no hook is left to count the next action's start.
local function end_action()
  sethook()
  used = 0
  globals, loaded, JSON_KEYS, JSON_NULL = nil, nil, nil, nil
  STRING_MT.__metatable = false
end

-- `code` is the controller's bytecode, which the host compiled from its text.
return function(code, chunkname, action, ctx, input)
  new_action()
  local chunk, err = load(code, chunkname, "b", new_env())
  if not chunk then error(err, 0) end
  start_limits()
  local module = chunk()
  if type(module) ~= "table" then error(chunkname:sub(2) .. " must return a table of actions", 0) end
  local fn = rawget(module, action)
  if type(fn) ~= "function" then error("no action '" .. action .. "' in " .. chunkname:sub(2), 0) end
  local result = fn(ctx, input)
  end_action()
  return result
end
