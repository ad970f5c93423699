-- policy: awall's policies. list: every policy with its state, enable, disable, delete; edit: one policy's sections
-- (create one by giving a new name). Every change is applied at once (awall translate --verify, awall activate)
-- under confirm-or-rollback, after a check that the admin's own connection stays open.
local cfe = require("cfe")
local awallfiles = require("awallfiles")
local awallvalues = require("awallvalues")
local awalllines = require("awalllines")
local awallrecords = require("awallrecords")
local awalllockout = require("awalllockout")
local awallapply = require("awallapply")
local exposure = require("awallexposure")

local M = {}
local json = acf.json

local APPLY_NOTE = "Applying runs awall translate --verify and awall activate; the change rolls back (files and "
  .. "rules) unless you keep it."

local function anyway_field(seq)
  return cfe.boolean{ label = "Apply anyway", value = false, seq = seq,
    descr = "Apply even when the check says the new rules would cut off your own connection to Acf." }
end

local function open_wan_field(seq)
  return cfe.boolean{ label = "Open to the WAN", value = false, seq = seq,
    descr = "Confirms a change that makes this router's own SSH, Acf or DNS reachable from the WAN." }
end

local function exposure_of(ctx, docs, seq, label)
  return exposure.structure(exposure.rows(docs, { acf_port = ctx.origin and ctx.origin.port }), seq, label)
end

-- A change that opens SSH, Acf or DNS to the WAN is refused until the admin ticks 'Open to the WAN'; the form then
-- shows what each zone would reach.
local function wan_refusal(ctx, form, after_docs)
  if form.value.open_wan.value then return nil end
  local port = ctx.origin and ctx.origin.port
  local opened = exposure.newly_opened(exposure.rows(awallfiles.active_set(), { acf_port = port }),
    exposure.rows(after_docs, { acf_port = port }))
  if not opened then return nil end
  form.value.exposure = exposure_of(ctx, after_docs, form.value.exposure.seq, "What each zone would reach after this change")
  return cfe.fail(form, { open_wan = opened .. " Tick 'Open to the WAN' to apply it." }, "Not applied: " .. opened)
end

local function lockout(ctx, docs, input_anyway)
  if input_anyway then return nil end
  return awalllockout.lockout(docs, ctx.origin, awalllockout.interface_networks())
end

local function rows()
  local list = {}
  for _, p in ipairs(awallfiles.list()) do
    local file = awallfiles.read(p.path)
    local descr = file and type(file.doc.description) == "string" and file.doc.description or (file and "" or "(not valid JSON)")
    list[#list + 1] = { name = p.name, ["name@href"] = "/awall/policy/edit?name=" .. p.name, kind = p.kind,
      enabled = p.kind == "private" and "imported only" or (p.enabled and "yes" or "no"), description = descr,
      file = p.path }
  end
  return list
end

local function list_form(ctx)
  local names = {}
  for _, p in ipairs(awallfiles.list()) do names[#names + 1] = p.name end
  return cfe.form{
    label = "Firewall policies",
    option = { "Enable", "Disable", { value = "Delete", confirm = "Delete the chosen policy? Its file is "
      .. "removed (disabled first) and the firewall is applied again; it rolls back unless you keep it." } },
    descr = "Optional policies (" .. awallfiles.OPTIONAL .. ") are switched on with Enable, which links them into "
      .. awallfiles.DIR .. "; private ones (" .. awallfiles.PRIVATE .. ") are read only where a policy imports them. "
      .. APPLY_NOTE,
    value = {
      policies = cfe.structure{ label = "Policies", value = rows(), seq = 1,
        columns = { "name", "kind", "enabled", "description", "file" } },
      name = cfe.select{ label = "Policy", value = "", option = names, seq = 2 },
      apply_anyway = anyway_field(3),
      open_wan = open_wan_field(4),
      new = cfe.link{ label = "New policy", value = "/awall/policy/edit", seq = 5 },
      exposure = exposure_of(ctx, awallfiles.active_set(), 6),
    },
  }
end

function M.list(ctx, input)
  local form = list_form(ctx)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local name = form.value.name.value
  local policy = name ~= "" and awallfiles.find(name)
  if not policy then return cfe.fail(form, { name = "Choose a policy." }) end
  local steps, switch = {}, {}
  local verb
  if input.submit == "Enable" or input.submit == "Disable" then
    local on = input.submit == "Enable"
    if policy.kind ~= "optional" then
      return cfe.fail(form, { name = policy.kind == "private" and "A private policy is used only where another imports it."
        or "This policy is a file in " .. awallfiles.DIR .. ": it is always enabled." })
    end
    if policy.enabled == on then return cfe.done(form, "Nothing changed: " .. name .. " is already " .. (on and "enabled." or "disabled.")) end
    steps[1] = { switch = name, enabled = on }
    switch[name] = on
    verb = on and "enabled" or "disabled"
  elseif input.submit == "Delete" then
    local file = awallfiles.read(policy.path)
    local text, tag
    if file then text, tag = file.text, file.tag else text, tag = acf.fs.read(policy.path) end
    -- Disable first, then remove: a link must never point at a missing file.
    if policy.kind == "optional" and policy.enabled then steps[#steps + 1] = { switch = name, enabled = false } end
    steps[#steps + 1] = { path = policy.path, text = nil, tag = tag, previous = text }
    switch[name] = false
    verb = "deleted"
  else
    return cfe.fail(form, nil, "Unknown button.")
  end
  local refusal = wan_refusal(ctx, form, awallfiles.active_set(nil, switch))
  if refusal then return refusal end
  local warning = lockout(ctx, awallfiles.active_set(nil, switch), form.value.apply_anyway.value)
  if warning then
    return cfe.fail(form, { apply_anyway = warning .. " Tick 'Apply anyway' to apply it all the same." },
      "Not applied: the new rules would cut off your connection.")
  end
  local ok, err = awallapply.apply(steps)
  if not ok then return cfe.fail(form, nil, err) end
  return cfe.done(list_form(ctx), "Policy " .. name .. " " .. verb .. " and applied. " .. err .. " Keep the change or it rolls back.")
end

-- A value that is not UTF-8 text (a Latin-1 description) cannot travel through the form and back unchanged: its
-- field is shown read-only, so an Apply keeps its bytes.
local function keep_bytes(form)
  for _, field in pairs(form.value) do
    local values = type(field.value) == "table" and field.value or { field.value }
    for _, v in ipairs(values) do
      if type(v) == "string" and not utf8.len(v) then
        field.readonly = true
        field.descr = "Not UTF-8 text: shown read-only so that its bytes stay as they are; edit it in the file itself."
      end
    end
  end
  return form
end

local function edit_form(ctx, name, file, is_new)
  local doc = file and file.doc or json.object()
  local policy = not is_new and awallfiles.find(name) or nil
  return keep_bytes(cfe.form{
    label = is_new and "New policy" or ("Policy " .. name),
    option = { "Apply" },
    descr = "Zones, services and the like as one entry per line of key=value pairs, rules as tables; values with "
      .. "commas are lists. Keys the form does not show stay in the file as they are. " .. APPLY_NOTE,
    value = {
      name = cfe.text{ label = "Name", value = name or "", readonly = not is_new, seq = 1,
        descr = is_new and "Letters, digits, '_', '.' and '-'; the file is " .. awallfiles.OPTIONAL .. "/NAME.json." or (file and file.path) },
      enabled = cfe.boolean{ label = "Enabled", value = is_new or (policy and policy.enabled) or false, seq = 2,
        readonly = policy ~= nil and policy.kind ~= "optional",
        descr = policy and policy.kind == "private" and "A private policy is read only where another imports it." or nil },
      description = cfe.text{ label = "Description", value = type(doc.description) == "string" and doc.description or "", seq = 3 },
      import = cfe.list{ label = "Import", value = awalllines.import_lines(doc), seq = 4,
        descr = "Policies this one builds on, one name per line." },
      variable = cfe.list{ label = "Variables", value = awalllines.variable_lines(doc), seq = 5,
        descr = "NAME=VALUE, used as $NAME; e.g. lan_net=192.168.1.0/24." },
      zone = cfe.list{ label = "Zones", value = awalllines.named_lines(doc, "zone"), seq = 6,
        descr = "NAME iface=IFACE[,IFACE] addr=NETWORK[,NETWORK]; e.g. lan iface=eth1." },
      service = cfe.list{ label = "Services", value = awalllines.service_lines(doc), seq = 7,
        descr = "NAME PROTO/PORT[,PORT] ...; e.g. web-alt tcp/8080,8443. awall's own (ssh, http, https, dns, ...) need no line." },
      ipset = cfe.list{ label = "IP sets", value = awalllines.named_lines(doc, "ipset"), seq = 8,
        descr = "NAME type=hash:net family=inet." },
      policy = awallrecords.field(doc, "policy", { label = "Policies (defaults)", seq = 9,
        descr = "Zone to zone defaults, checked after the filters; _fw is this box; an empty zone means any." }),
      filter = awallrecords.field(doc, "filter", { label = "Filters", seq = 10,
        descr = "Checked from the top; several zones, networks or services are separated by commas; limits are "
          .. "COUNT/SECONDS, e.g. 3/60." }),
      snat = awallrecords.field(doc, "snat", { label = "Masquerading (snat)", seq = 11,
        descr = "Without a To address the outgoing address is masqueraded." }),
      dnat = awallrecords.field(doc, "dnat", { label = "Port forwards (dnat)", seq = 12,
        descr = "e.g. in WAN, service http, to 192.168.1.10, to port 8080." }),
      apply_anyway = anyway_field(13),
      open_wan = open_wan_field(14),
      exposure = exposure_of(ctx, awallfiles.active_set(), 15),
      tag = cfe.tag(file and file.tag),
      -- The page's ?name= is not part of a submit, and a read-only field is not submitted: this carries it.
      policy_name = cfe.hidden{ value = not is_new and name or "" },
    },
  })
end

function M.edit(ctx, input)
  local name = type(input.policy_name) == "string" and input.policy_name ~= "" and input.policy_name
    or (type(input.name) == "string" and input.name) or nil
  local policy = name and awallfiles.find(name)
  local file, err
  if policy then
    file, err = awallfiles.read(policy.path)
    if not file then
      local form = edit_form(ctx, name, nil, false)
      return cfe.fail(form, nil, err)
    end
  end
  local is_new = policy == nil
  local form = edit_form(ctx, name, file, is_new)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local f = form.value
  if is_new then
    name = f.name.value
    if not awallvalues.is_name(name) then return cfe.fail(form, { name = "A name has letters, digits, '_', '.' and '-' (at most 64)." }) end
    if awallfiles.find(name) then return cfe.fail(form, { name = "There is a policy " .. name .. " already." }) end
    policy = { name = name, kind = "optional", path = awallfiles.OPTIONAL .. "/" .. name .. ".json", enabled = false }
  end
  -- A working copy: the file's doc, decoded again so that a failed check leaves nothing half changed.
  local edit = file and awallfiles.edit_of(file)
  local doc = edit and edit.doc or json.object()
  local description = f.description.value or ""
  if description ~= (type(doc.description) == "string" and doc.description or "") then
    if #description > 500 then return cfe.fail(form, { description = "At most 500 characters." }) end
    json.set(doc, "description", description ~= "" and description or nil)
  end
  local ok, message = awalllines.set_imports(doc, f.import.value)
  if not ok then return cfe.fail(form, { import = message }) end
  ok, message = awalllines.set_variables(doc, f.variable.value)
  if not ok then return cfe.fail(form, { variable = message }) end
  -- Zones, services and variables of the other active policies count as known.
  local enabled = policy.kind ~= "optional" or f.enabled.value
  local others = {}
  for _, d in ipairs(awallfiles.active_set()) do if d.name ~= name then others[#others + 1] = d end end
  for _, d in ipairs(awallfiles.imports_of(doc)) do others[#others + 1] = d end
  local ctx0 = awallvalues.context(others, doc)
  ok, message = awalllines.set_named(doc, "zone", f.zone.value, ctx0)
  if not ok then return cfe.fail(form, { zone = message }) end
  ok, message = awalllines.set_services(doc, f.service.value)
  if not ok then return cfe.fail(form, { service = message }) end
  ok, message = awalllines.set_named(doc, "ipset", f.ipset.value, ctx0)
  if not ok then return cfe.fail(form, { ipset = message }) end
  local check = awallvalues.context(others, doc)
  for _, section in ipairs({ "policy", "filter", "snat", "dnat" }) do
    local lines = awallrecords.lines(doc, section, f[section], check)
    if not lines then return cfe.fail(form) end
    ok, message = awalllines.set_section(doc, section, lines, check)
    if not ok then return cfe.fail(form, { [section] = message }) end
  end
  local text = edit and awallfiles.render(edit) or awallfiles.encode(doc, "  ")
  local switch = {}
  if policy.kind == "optional" then switch[name] = enabled end
  local override = { [name] = doc }
  local refusal = wan_refusal(ctx, form, awallfiles.active_set(override, switch))
  if refusal then return refusal end
  if enabled then
    local warning = lockout(ctx, awallfiles.active_set(override, switch), f.apply_anyway.value)
    if warning then
      return cfe.fail(form, { apply_anyway = warning .. " Tick 'Apply anyway' to apply it all the same." },
        "Not applied: the new rules would cut off your connection.")
    end
  end
  local steps = { { path = policy.path, text = text, tag = cfe.expected_tag(form, file and file.tag or "absent"),
    previous = file and file.text } }
  if policy.kind == "optional" and enabled ~= policy.enabled then steps[2] = { switch = name, enabled = enabled } end
  if file and text == file.text and #steps == 1 then return cfe.done(form, "Nothing changed.") end
  local applied, err2 = awallapply.apply(steps)
  if not applied then return cfe.fail(form, nil, err2) end
  local done = edit_form(ctx, name, awallfiles.read(policy.path), false)
  return cfe.done(done, "Policy " .. name .. " saved and applied. " .. err2 .. " Keep the change or it rolls back.")
end

return M
