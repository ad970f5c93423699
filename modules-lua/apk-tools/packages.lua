-- packages: apk's state (read from its own files by the host) and changes through apk.
local cfe = require("cfe")

local M = {}

-- "busybox>=1.36@edge" -> "busybox": the package a world entry names.
local function world_name(entry)
  return (entry:match("^([^<>=~@]+)"))
end

local function set_of(list, key)
  local set = {}
  for _, item in ipairs(list) do set[key and item[key] or item] = item end
  return set
end

local function details_link(name) return "/apk-tools/packages/details?name=" .. name end

-- Installed packages, world entries marked: the top level the admin asked for versus their dependencies.
function M.installed(ctx)
  local world = {}
  for _, entry in ipairs(assert(acf.apk.world())) do world[world_name(entry)] = true end
  local rows = {}
  for _, package in ipairs(assert(acf.apk.installed())) do
    rows[#rows + 1] = { name = package.name, ["name@href"] = details_link(package.name), version = package.version,
      kind = world[package.name] and "world" or "dependency", description = package.description }
  end
  table.sort(rows, function(a, b) return a.name < b.name end)
  return cfe.structure{ label = "Installed packages", value = rows, columns = { "name", "version", "kind", "description" },
    descr = #rows .. " packages; 'world' marks the ones asked for in /etc/apk/world." }
end

-- A page of the packages the cached indexes offer, the newest version of each name, with a filter. The host picks
-- the page where the index is, so only the page shown crosses to the module and the browser, not a mirror's
-- 20,000 packages (issue 19). PAGE is the table's own page size: one page here is one page on the screen.
local PAGE = 50
local MAX_TEXT = 200

-- A text the host takes as a query (a name or a filter): at most MAX_TEXT bytes, no control characters.
local function query_text(value)
  return type(value) == "string" and #value <= MAX_TEXT and not value:find("%c") and value or nil
end

function M.available(ctx, input)
  local filter = query_text(input.filter or "")
  local page = math.max(1, math.tointeger(tonumber(input.page)) or 1)
  local form = cfe.form{
    label = "Available packages",
    option = { "Show" },
    value = {
      filter = cfe.text{ label = "Name or description containing", value = filter or input.filter or "", seq = 1 },
      page = cfe.integer{ label = "Page", value = tostring(page), min = 1, seq = 2 },
      packages = cfe.structure{ label = "Packages", value = {}, columns = { "name", "version", "installed", "description" },
        seq = 3 },
    },
  }
  if not filter then
    form.value.filter.errtxt = "At most " .. MAX_TEXT .. " characters, without line breaks or control characters."
    return form
  end
  local list = assert(acf.apk.available{ filter = filter, offset = (page - 1) * PAGE, limit = PAGE })
  local pages = math.max(1, (list.total + PAGE - 1) // PAGE)
  if page > pages then -- past the end (the list got shorter, or a typed page): the last page
    page = pages
    form.value.page.value = tostring(page)
    list = assert(acf.apk.available{ filter = filter, offset = (page - 1) * PAGE, limit = PAGE })
  end
  local installed = set_of(assert(acf.apk.installed()), "name")
  local rows = {}
  for _, package in ipairs(list) do
    local have = installed[package.name]
    rows[#rows + 1] = { name = package.name, ["name@href"] = details_link(package.name), version = package.version,
      installed = have and have.version or "", description = package.description }
  end
  form.value.packages.value = rows
  form.value.packages.descr = (filter == "" and "Packages in the cached indexes: " or "Matching packages in the cached indexes: ")
    .. list.total .. " (page " .. page .. " of " .. pages .. ")."
  return form
end

function M.upgradable(ctx)
  local installed = set_of(assert(acf.apk.installed()), "name")
  local rows = {}
  for _, package in ipairs(assert(acf.apk.upgradable())) do
    rows[#rows + 1] = { name = package.name, ["name@href"] = details_link(package.name),
      installed = installed[package.name] and installed[package.name].version or "", available = package.version }
  end
  table.sort(rows, function(a, b) return a.name < b.name end)
  return cfe.structure{ label = "Upgradable packages", value = rows, columns = { "name", "installed", "available" } }
end

-- The packages among `installed` that `package` needs, found by name or by what they provide (so:, cmd:, pc:).
local function resolve(dependency, by_name, by_provide)
  if dependency:sub(1, 1) == "!" then return nil end
  local name = dependency:match("^([^<>=~]+)")
  return by_name[name] or by_provide[name]
end

function M.details(ctx, input)
  local name = cfe.query(input, "name", "")
  local installed = assert(acf.apk.installed())
  local by_name, by_provide = {}, {}
  for _, package in ipairs(installed) do
    by_name[package.name] = package
    for _, provided in ipairs(package.provides) do by_provide[(provided:match("^([^=]+)"))] = package end
  end
  local package = by_name[name]
  if not package and query_text(name) then
    package = assert(acf.apk.available{ name = name, limit = 1 })[1] -- the newest version
  end
  if not package then
    return cfe.group{ label = "Package " .. name, errtxt = "There is no package named '" .. name .. "'.", value = {} }
  end

  -- Reverse dependencies: installed packages that need this one.
  local needed_by = {}
  for _, other in ipairs(installed) do
    for _, dependency in ipairs(other.depends) do
      if resolve(dependency, by_name, by_provide) == package then needed_by[#needed_by + 1] = other.name break end
    end
  end
  table.sort(needed_by)

  -- Which world entries pull it in: walk the dependency graph from each world entry.
  local pulled_by = {}
  for _, entry in ipairs(assert(acf.apk.world())) do
    local root = by_name[world_name(entry)]
    local stack, seen = { root }, {}
    while #stack > 0 do
      local current = table.remove(stack)
      if current and not seen[current] then
        seen[current] = true
        if current == package then pulled_by[#pulled_by + 1] = entry break end
        for _, dependency in ipairs(current.depends) do stack[#stack + 1] = resolve(dependency, by_name, by_provide) end
      end
    end
  end

  return cfe.group{
    label = "Package " .. package.name,
    value = {
      version = cfe.text{ label = "Version", value = package.version, readonly = true, seq = 1 },
      installed = cfe.text{ label = "Installed", value = by_name[name] and "yes" or "no", readonly = true, seq = 2 },
      description = cfe.text{ label = "Description", value = package.description, readonly = true, seq = 3 },
      url = cfe.link{ label = "Project", value = package.url, seq = 4 },
      license = cfe.text{ label = "License", value = package.license, readonly = true, seq = 5 },
      size = cfe.text{ label = "Installed size", value = string.format("%.1f KiB", package.installed_size / 1024),
        readonly = true, seq = 6 },
      depends = cfe.list{ label = "Depends on", value = package.depends, readonly = true, seq = 7 },
      needed_by = cfe.list{ label = "Needed by", value = needed_by, readonly = true, seq = 8 },
      pulled_by = cfe.list{ label = "Pulled in by (world)", value = pulled_by, readonly = true, seq = 9 },
    },
  }
end

local ACTIONS = { Install = "add", Remove = "del", ["Update index"] = "update", ["Upgrade all"] = "upgrade" }

-- Install or remove packages, refresh the index, upgrade: apk's output is streamed to the page as it runs.
function M.manage(ctx, input)
  local form = cfe.form{
    label = "Install or remove packages",
    option = { "Install",
      { value = "Remove", confirm = "Remove the packages named here? Files they installed are deleted, and so are "
        .. "the dependencies nothing else needs. Services they provide stop working." },
      "Update index",
      { value = "Upgrade all", confirm = "Upgrade every installed package to the version in the index? Services "
        .. "keep running the old version until restarted; a kernel upgrade needs a reboot." } },
    value = {
      packages = cfe.text{ label = "Packages", value = "", seq = 1,
        descr = "Package names separated by spaces, e.g. 'nginx' or 'squid dnsmasq'." },
      output = cfe.longtext{ label = "Output", readonly = true, value = "", seq = 2 },
    },
  }
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local verb = ACTIONS[input.submit]
  if not verb then return cfe.fail(form, nil, "Unknown action.") end
  local names = {}
  for word in form.value.packages.value:gmatch("%S+") do
    if not word:match("^[%w][%w+._-]*[@%w._+~<>=-]*$") then
      return cfe.fail(form, { packages = "'" .. word .. "' is not a package name." })
    end
    names[#names + 1] = word
  end
  if (verb == "add" or verb == "del") and #names == 0 then
    return cfe.fail(form, { packages = "Name at least one package." })
  end
  local result, err
  if verb == "add" or verb == "del" then
    result, err = acf.apk[verb](names)
  else
    result, err = acf.apk[verb]()
  end
  if not result then return cfe.fail(form, nil, err) end
  form.value.output.value = (result.stdout or "") .. (result.stderr or "")
  if result.status ~= 0 then return cfe.fail(form, nil, "apk " .. verb .. " failed (status " .. result.status .. ").") end
  -- apk del exits 0 when it keeps a package others need; only its output says so.
  local kept = (result.stdout or ""):match("following packages are not removed due to:\n(.-)\n\n")
  if verb == "del" and kept then
    return cfe.fail(form, nil, "apk did not remove packages that others need:\n" .. kept)
  end
  return cfe.done(form, "apk " .. verb .. " finished.")
end

return M
