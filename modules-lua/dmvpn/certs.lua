-- dmvpn/certs: imports the PKCS#12 (PFX) bundle a DMVPN CA hands out (dmvpn-ca makes one per hub and spoke) into
-- strongSwan's swanctl folders as PEM: the private key into /etc/swanctl/private (mode 0600), the box's certificate
-- into /etc/swanctl/x509 and the CA chain into /etc/swanctl/x509ca. Lists what those folders hold.
local cfe = require("cfe")

local M = {}

local BASE = "/etc/swanctl/"
local FOLDERS = { { "x509", "Certificate" }, { "x509ca", "CA" } }

local function expiry(certificate, now)
  if certificate.expires < now then return certificate.not_after .. " (EXPIRED)" end
  local days = (certificate.expires - now) // 86400
  return certificate.not_after .. " (" .. days .. " days)"
end

-- One row per certificate in x509 and x509ca, and one per private key (without its content).
local function installed(now)
  local rows = {}
  for _, folder in ipairs(FOLDERS) do
    local dir = BASE .. folder[1]
    for _, entry in ipairs(acf.fs.list(dir) or {}) do
      if entry.type == "file" and entry.name:sub(1, 1) ~= "." then
        local path = dir .. "/" .. entry.name
        local text, err = acf.fs.read(path)
        local certificates, perr
        if text then certificates, perr = acf.crypto.pem(text) end
        if not certificates then
          rows[#rows + 1] = { file = path, kind = folder[2], subject = perr or err or "", issuer = "", expires = "",
            names = "" }
        else
          for _, c in ipairs(certificates) do
            rows[#rows + 1] = { file = path, kind = folder[2], subject = c.subject, issuer = c.issuer,
              expires = expiry(c, now), names = c.alt_names }
          end
        end
      end
    end
  end
  for _, entry in ipairs(acf.fs.list(BASE .. "private") or {}) do
    if entry.type == "file" and entry.name:sub(1, 1) ~= "." then
      local path = BASE .. "private/" .. entry.name
      local stat = acf.fs.stat(path)
      local mode = stat and string.format("%04o", stat.mode & 4095) or "?"
      local warning = stat and (stat.mode & 63) ~= 0 and " (readable by others: import again to fix)" or ""
      rows[#rows + 1] = { file = path, kind = "Private key", subject = "mode " .. mode .. warning, issuer = "",
        expires = "", names = "" }
    end
  end
  return rows
end

local function form_of(ctx)
  return cfe.form{ label = "Import a certificate bundle", option = { "Import" },
    descr = "A PKCS#12 (.pfx or .p12) file with its password, as dmvpn-ca makes them. The key goes to "
      .. BASE .. "private (mode 0600), the certificate to " .. BASE .. "x509 and the CA chain to " .. BASE .. "x509ca, "
      .. "as PEM files named after the name below. Choose them on the Hub or spoke page.",
    value = {
      name = cfe.text{ label = "Name", value = "dmvpn", seq = 1,
        descr = "The files become NAME.pem (key and certificate) and NAME-ca.pem (the CA)." },
      bundle = cfe.file{ label = "PKCS#12 file", seq = 2 },
      password = cfe.password{ label = "Password", seq = 3 },
      installed = cfe.structure{ label = "Installed certificates and keys", seq = 4, value = installed(ctx.now),
        columns = { "file", "kind", "subject", "issuer", "expires", "names" } },
    } }
end

local function check_name(text)
  if text == "" then return nil, "Enter a name." end
  if #text > 64 or not text:match("^[%w][%w._%-]*$") then
    return nil, "1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit."
  end
  if text:match("%.pem$") then return nil, "Without .pem: it is added." end
  return text
end

function M.edit(ctx, input)
  local form = form_of(ctx)
  if not input.submit then return form end
  if not cfe.handle_form(form, input) then return cfe.fail(form) end
  local v = form.value
  local name, message = check_name((v.name.value or ""):match("^%s*(.-)%s*$"))
  if not name then return cfe.fail(form, { name = message }) end
  if (v.bundle.value or "") == "" then return cfe.fail(form, { bundle = "Choose the PKCS#12 file." }) end
  local contents, err = acf.crypto.pkcs12(v.bundle.value, v.password.value or "")
  v.bundle.value, v.password.value = "", "" -- neither goes back to the browser
  if not contents then return cfe.fail(form, { password = err }) end

  local writes = {
    { BASE .. "private/" .. name .. ".pem", contents.key, "0600" },
    { BASE .. "x509/" .. name .. ".pem", contents.certificates[1].pem, "0644" },
  }
  local cas = 0
  for k = 2, #contents.certificates do
    cas = cas + 1
    local suffix = cas == 1 and "-ca" or ("-ca" .. cas)
    writes[#writes + 1] = { BASE .. "x509ca/" .. name .. suffix .. ".pem", contents.certificates[k].pem, "0644" }
  end
  for _, w in ipairs(writes) do
    local changed, werr = acf.fs.write(w[1], w[2], nil, { mode = w[3] })
    if changed == nil then return cfe.fail(form, nil, werr) end
  end
  v.installed.value = installed(ctx.now)
  local leaf = contents.certificates[1]
  return cfe.done(form, "Imported " .. leaf.subject .. " (valid until " .. leaf.not_after .. ") as " .. name
    .. ".pem" .. (cas > 0 and (" with " .. cas .. " CA certificate" .. (cas > 1 and "s" or "")) or ", without a CA")
    .. ".")
end

return M
