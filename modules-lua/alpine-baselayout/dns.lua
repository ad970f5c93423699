-- dns: the resolver's name servers and search domains in /etc/resolv.conf, edited in place (comments, options and
-- other lines stay as they are).
local cfe = require("cfe")
local resolvconf = require("resolvconf")
local valid = require("valid")

local M = {}
local PATH = resolvconf.PATH

function M.edit(ctx, input)
  local text, tag = acf.fs.read(PATH)
  local err
  if not text then
    if not acf.fs.stat(PATH) then text, tag = "", "absent" else err = tag end
  end
  -- A file with bytes no resolv.conf holds (NUL, control characters: a binary written over it) is shown but not
  -- saved: a save would add name servers to the garbage and call it settings (issue 14).
  local binary = text and text:find("[%z\1-\8\11\12\14-\31\127]")
  if binary then
    local line = select(2, text:sub(1, binary):gsub("\n", "")) + 1
    err = PATH .. " holds bytes that are not text (line " .. line .. "); nothing is saved here until it is put right "
      .. "on the expert page."
  end
  local conf = text and resolvconf.parse(text)
  local current = conf and conf:get() or { nameservers = {}, search = {} }
  local form = cfe.form{ label = "DNS", option = { "Save" }, errtxt = err,
    descr = "The name servers and search domains in " .. PATH .. "; other lines stay as they are.",
    value = {
      nameservers = cfe.list{ label = "Name servers", value = current.nameservers, seq = 1,
        descr = "One IPv4 or IPv6 address per line, in the order they are asked." },
      search = cfe.list{ label = "Search domains", value = current.search, seq = 2,
        descr = "One domain per line (example.com); '.' alone searches nothing." },
      tag = cfe.tag(conf and tag),
    } }
  if not input.submit or not conf then return form end
  if binary then return cfe.fail(form, nil, err) end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local errors = {}
  local servers, domains = {}, {}
  for number, line in ipairs(form.value.nameservers.value) do
    local item = line:match("^%s*(.-)%s*$")
    if not (valid.is_ipv4(item) or valid.is_ipv6(item, true)) then
      errors.nameservers = errors.nameservers or ("Line " .. number .. ": '" .. item .. "' is not an IP address.")
    end
    servers[#servers + 1] = item
  end
  for number, line in ipairs(form.value.search.value) do
    local item = line:match("^%s*(.-)%s*$")
    if not valid.is_search_domain(item) then
      errors.search = errors.search or ("Line " .. number .. ": '" .. item .. "' is not a domain name.")
    end
    domains[#domains + 1] = item
  end
  if next(errors) then return cfe.fail(form, errors) end
  local ok, message = conf:set_nameservers(servers)
  if ok ~= nil then ok, message = conf:set_search(domains) end
  if ok == nil then return cfe.fail(form, nil, message) end
  return cfe.saved(form, "DNS settings saved.", acf.fs.write(PATH, conf:text(), cfe.expected_tag(form)))
end

return M
