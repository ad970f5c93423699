-- awallapply: applying a change to awall's policies as one step that can be undone.
local files = require("awallfiles")

local M = {}

M.VERIFY = { "awall", "translate", "--verify" }
-- --force: awall's own confirmation (it reverts unless confirmed on the console) is skipped; Acf's
-- confirm-or-rollback does that job, so the two countdowns never fight.
M.ACTIVATE = { "awall", "activate", "--force" }

-- Applying: write the files, switch policies, `awall translate --verify`, then `awall activate --force` with the
-- same activation declared as the rollback command (run after the old files are back). On any failure the files
-- and switches made so far are undone at once and nothing is activated.
-- steps, in order: { path=, text= (nil: remove), tag=, previous= (text before, nil: did not exist) } or
-- { switch = NAME, enabled = true|false }.
function M.apply(steps)
  files.forget()
  local done = {}
  local function undo()
    for i = #done, 1, -1 do
      local d = done[i]
      if d.switch then
        if d.enabled then acf.awall.disable(d.switch) else acf.awall.enable(d.switch) end
      elseif d.previous then acf.fs.write(d.path, d.previous)
      else acf.fs.remove(d.path) end
    end
  end
  for _, step in ipairs(steps) do
    if step.switch then
      local run, err = (step.enabled and acf.awall.enable or acf.awall.disable)(step.switch)
      if not run or run.status ~= 0 then
        undo()
        return nil, err or ("awall " .. (step.enabled and "enable " or "disable ") .. step.switch .. " failed: " .. (run.stderr or ""))
      end
      done[#done + 1] = step
    else
      local changed, err
      if step.text then changed, err = acf.fs.write(step.path, step.text, step.tag) else changed, err = acf.fs.remove(step.path, step.tag) end
      if changed == nil then undo(); return nil, err end
      if changed then done[#done + 1] = step end
    end
  end
  local verify, err = acf.exec(M.VERIFY, { timeout = 120 })
  if not verify or verify.status ~= 0 then
    undo()
    return nil, "awall translate --verify refused the new policy; nothing was applied.\n"
      .. (verify and (verify.stderr .. verify.stdout) or err)
  end
  local run
  run, err = acf.exec(M.ACTIVATE, { timeout = 120, rollback = M.ACTIVATE })
  if not run or run.status ~= 0 then
    undo()
    acf.exec(M.ACTIVATE, { timeout = 120 })
    return nil, "awall activate failed; the previous files are back.\n" .. (run and (run.stderr .. run.stdout) or err)
  end
  return true, M.verification(verify)
end

-- What `awall translate --verify` proved, in words. When no iptables table is loaded yet, awall prints "Warning:
-- firewall not enabled for inet" and exits 0 without testing anything; the demo host only simulates the command.
-- Never "verified" when nothing was tested.
function M.verification(run)
  local said = ((run.stdout or "") .. "\n" .. (run.stderr or "")):match("([^\n]*firewall not enabled[^\n]*)")
  if said then
    return "Not verified: awall translate --verify tested nothing (awall says: " .. said:gsub("^%s+", "") .. ")."
  end
  if run.simulated then return "Not verified: the demo host only simulates awall translate --verify." end
  return "Verified by awall translate --verify."
end

return M
