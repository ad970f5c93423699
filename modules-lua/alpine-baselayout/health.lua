-- health: a read-only picture of the system, from /proc and /etc files (no process is spawned where a file answers;
-- only disk usage needs `df`).
local cfe = require("cfe")

local M = {}

local function read_trimmed(path)
  local text, err = acf.fs.read(path)
  if not text then return nil, err end
  return (text:match("^%s*(.-)%s*$"))
end

local function uptime_text()
  local text, err = read_trimmed("/proc/uptime")
  if not text then return nil, err end
  local seconds = math.floor(tonumber(text:match("^(%d+%.?%d*)")) or 0)
  local days, rest = seconds // 86400, seconds % 86400
  local clock = string.format("%d:%02d", rest // 3600, (rest % 3600) // 60)
  if days == 0 then return clock end
  return string.format("%d day%s, %s", days, days == 1 and "" or "s", clock)
end

local function load_text()
  local text, err = read_trimmed("/proc/loadavg")
  if not text then return nil, err end
  local one, five, fifteen = text:match("^(%S+)%s+(%S+)%s+(%S+)")
  return string.format("%s, %s, %s (1, 5, 15 minutes)", one or "?", five or "?", fifteen or "?")
end

local function kib(value)
  if not value then return "" end
  if value >= 1048576 then return string.format("%.1f GiB", value / 1048576) end
  return string.format("%.1f MiB", value / 1024)
end

local function memory_rows()
  local text, err = acf.fs.read("/proc/meminfo")
  if not text then return {}, err end
  local info = {}
  for key, value in text:gmatch("([%w_()]+):%s+(%d+)") do info[key] = tonumber(value) end
  local total, available = info.MemTotal, info.MemAvailable or info.MemFree
  local used = total and available and total - available
  return {
    { item = "Total", size = kib(total) },
    { item = "Used", size = kib(used) },
    { item = "Available", size = kib(available) },
    { item = "Buffers and cache", size = kib((info.Buffers or 0) + (info.Cached or 0)) },
    { item = "Swap free", size = kib(info.SwapFree) .. " of " .. kib(info.SwapTotal) },
  }
end

-- `df -kP` prints one line per filesystem in POSIX format: source, size, used, available, use%, mount point.
-- raw: sizes as KiB numbers (for the dashboard's bars) instead of text.
local function disk_rows(raw)
  local result, err = acf.exec({ "df", "-kP" }, { timeout = 10 })
  if not result then return {}, err end
  if result.status ~= 0 then return {}, result.stderr end
  local rows = {}
  for line in result.stdout:gmatch("[^\n]+") do
    local source, size, used, avail, percent, mount = line:match("^(%S+)%s+(%d+)%s+(%d+)%s+(%d+)%s+(%S+)%s+(.+)$")
    if source and tonumber(size) > 0 then
      if raw then
        rows[#rows + 1] = { mount = mount, size = size, used = used, available = avail, filesystem = source }
      else
        rows[#rows + 1] = { mount = mount, size = kib(tonumber(size)), used = kib(tonumber(used)),
          available = kib(tonumber(avail)), use = percent, filesystem = source }
      end
    end
  end
  return rows
end

-- The dashboard's counters, read every few seconds: raw numbers only (the page keeps the previous sample and turns
-- the differences into rates; an action keeps no state). Files only, no command, so nothing is audited per tick.
local function cpu_counters()
  local text, err = acf.fs.read("/proc/stat")
  if not text then return nil, err end
  local numbers = text:match("^cpu%s+([%d ]+)")
  if not numbers then return nil, "/proc/stat has no cpu line." end
  return (numbers:gsub("%s+$", ""))
end

-- /proc/net/dev: two header lines, then "  name: rx_bytes rx_packets ... (8 receive fields) tx_bytes ...".
local function interface_counters()
  local text, err = acf.fs.read("/proc/net/dev")
  if not text then return {}, err end
  local rows = {}
  for line in text:gmatch("[^\n]+") do
    local name, fields = line:match("^%s*([^%s:|]+):%s*(.*)$")
    if name and name ~= "lo" then
      local numbers = {}
      for number in fields:gmatch("%d+") do numbers[#numbers + 1] = number end
      if #numbers >= 9 then rows[#rows + 1] = { name = name, rx = numbers[1], tx = numbers[9] } end
    end
  end
  return rows
end

function M.live(ctx)
  local cpu, cpu_err = cpu_counters()
  local interfaces, interfaces_err = interface_counters()
  local meminfo, memory_err = acf.fs.read("/proc/meminfo")
  local info = {}
  for key, value in (meminfo or ""):gmatch("([%w_()]+):%s+(%d+)") do info[key] = value end
  local uptime, uptime_err = read_trimmed("/proc/uptime")
  local load, load_err = read_trimmed("/proc/loadavg")
  return cfe.group{
    label = "Live counters",
    value = {
      cpu = cfe.text{ label = "CPU time (jiffies)", value = cpu or "", errtxt = cpu_err, readonly = true, seq = 1 },
      memory_total = cfe.text{ label = "Memory (KiB)", value = info.MemTotal or "", errtxt = memory_err, readonly = true, seq = 2 },
      memory_available = cfe.text{ label = "Memory available (KiB)", value = info.MemAvailable or info.MemFree or "",
        readonly = true, seq = 3 },
      uptime = cfe.text{ label = "Uptime (s)", value = uptime and uptime:match("^(%d+)") or "", errtxt = uptime_err,
        readonly = true, seq = 4 },
      load = cfe.text{ label = "Load average", value = load and load:match("^(%S+%s+%S+%s+%S+)") or "", errtxt = load_err,
        readonly = true, seq = 5 },
      interfaces = cfe.structure{ label = "Interfaces (bytes)", value = interfaces, errtxt = interfaces_err,
        columns = { "name", "rx", "tx" }, seq = 6 },
    },
  }
end

-- Services added to a boot-time runlevel that are not running: what an admin expects to be up after a reboot.
local function enabled_but_stopped()
  local services, err = acf.service.list()
  if not services then return {}, err end
  local rows = {}
  for _, service in ipairs(services) do
    local enabled = false
    for _, level in ipairs(service.runlevels) do
      if level == "sysinit" or level == "boot" or level == "default" then enabled = true end
    end
    if enabled and service.state ~= "started" then
      rows[#rows + 1] = { name = service.name, state = service.state, runlevels = table.concat(service.runlevels, " ") }
    end
  end
  return rows
end

-- A read-only text field of a value read here, or of the message saying why it could not be read.
local function read_only(label, seq, value, err)
  return cfe.text{ label = label, value = value or "", errtxt = err, readonly = true, seq = seq }
end

-- A view of both actions: the release and the kernel first (of /proc/version, what `pattern` picks), then `value`.
local function health_group(label, pattern, value)
  value.release = read_only("Alpine release", 1, read_trimmed("/etc/alpine-release"))
  local kernel, err = read_trimmed("/proc/version")
  value.kernel = read_only("Kernel", 2, kernel and kernel:match(pattern) or kernel, err)
  return cfe.group{ label = label, value = value }
end

-- What the dashboard shows once per visit: the release, the disks (df costs a command, so not per tick) and the
-- enabled services that are not running.
function M.overview(ctx)
  local disks, disk_err = disk_rows(true)
  local stopped, stopped_err = enabled_but_stopped()
  return health_group("Overview", "^Linux version (%S+)", {
    disk = cfe.structure{ label = "Disk (KiB)", value = disks, errtxt = disk_err,
      columns = { "mount", "size", "used", "available", "filesystem" }, seq = 3 },
    stopped = cfe.structure{ label = "Enabled services that are not running", value = stopped, errtxt = stopped_err,
      columns = { "name", "state", "runlevels" }, seq = 4 },
  })
end

function M.system(ctx)
  local memory, memory_err = memory_rows()
  local disks, disk_err = disk_rows()
  return health_group("System health", "^(Linux version %S+)", {
    uptime = read_only("Uptime", 3, uptime_text()),
    load = read_only("Load average", 4, load_text()),
    memory = cfe.structure{ label = "Memory", value = memory, errtxt = memory_err, columns = { "item", "size" }, seq = 5 },
    disk = cfe.structure{ label = "Disk", value = disks, errtxt = disk_err,
      columns = { "mount", "size", "used", "available", "use", "filesystem" }, seq = 6 },
  })
end

return M
