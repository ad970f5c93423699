-- The Squid settings read (squid/config.lua's edit, no submit) under plain lua5.4, outside Acf's sandbox: the same
-- module files and libraries, each action in fresh environments as Acf gives it, with acf.fs.read done by io.open.
-- Prints the median CPU time of one action in microseconds, with the chunks compiled for every action ("compile")
-- and with them compiled once and loaded from their bytecode ("cached").
--   lua5.4 squid-read.lua <modules-lua folder> <squid.conf> <runs>
--   lua5.4 squid-read.lua <modules-lua folder> <squid.conf> <runs> [<sandbox.lua>]
-- With the sandbox prelude's path, its pattern guard (cut from the file itself, so that it is the real one) wraps the
-- string library and a count hook runs every 10,000 instructions as the prelude's limits do: what the sandbox's own
-- safety costs a parser, before any of Acf's hosting.
local modules, conf_path, runs, prelude = arg[1], arg[2], tonumber(arg[3]) or 50, arg[4]

if prelude then
  local file = assert(io.open(prelude, "rb"))
  local text = file:read("a")
  file:close()
  local first = assert(text:find("local MAX_QUANTIFIERS", 1, true), "no pattern guard in " .. prelude)
  local last = assert(text:find("-- Calls a raw host function", first, true), "no end of the pattern guard in " .. prelude)
  local guard = "local error, type, str_find, str_match, str_gmatch, str_gsub, str_byte = "
    .. "error, type, string.find, string.match, string.gmatch, string.gsub, string.byte\n" .. text:sub(first, last - 1)
  assert(load(guard, "=pattern guard", "t"))()
  local used = 0
  debug.sethook(function() used = used + 10000 end, "", 10000)
end

local function slurp(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("a")
  file:close()
  return text
end

local function exists(path)
  local file = io.open(path, "rb")
  if file then file:close() end
  return file ~= nil
end

local sources = {}
local function source(name)
  sources[name] = sources[name] or slurp(modules .. "/" .. name .. ".lua")
  return sources[name]
end

-- As the sandbox's require: the module's own lib/<name>.lua first, then the shared modules-lua/lib/<name>.lua.
local function library(name)
  if exists(modules .. "/squid/lib/" .. name .. ".lua") then return "squid/lib/" .. name end
  return "lib/" .. name
end

local acf = { fs = { read = function(path)
  assert(path == "/etc/squid/squid.conf", path)
  return slurp(conf_path), "tag"
end } }

local function new_env()
  return setmetatable({ acf = acf }, { __index = _G })
end

local dumps = {}
local function chunk(name, cached)
  if not cached then return assert(load(source(name), "@" .. name .. ".lua", "t", new_env())) end
  dumps[name] = dumps[name] or string.dump(assert(load(source(name), "@" .. name .. ".lua", "t")))
  return assert(load(dumps[name], "@" .. name .. ".lua", "b", new_env()))
end

local function action(cached)
  local loaded = {}
  -- require for this action only, as the sandbox's: once per action.
  _G.require = function(name)
    if loaded[name] == nil then loaded[name] = chunk(library(name), cached)(name) or true end
    return loaded[name]
  end
  local module = chunk("squid/config", cached)()
  local form = module.edit({ module = "squid", controller = "config", action = "edit" }, {})
  assert(form.value.http_port, "no form")
end

local function median(cached)
  action(cached) -- warm up
  local times = {}
  for i = 1, runs do
    local start = os.clock()
    action(cached)
    times[i] = (os.clock() - start) * 1e6
  end
  table.sort(times)
  return times[(runs // 2) + 1]
end

print(string.format("compile_us=%.1f cached_us=%.1f runs=%d %s", median(false), median(true), runs, _VERSION))
