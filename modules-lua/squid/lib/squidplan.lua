-- squidplan: the edits of one change to squid.conf, collected over the current line numbers and applied in one
-- pass (squidconf's set, set_all and the ACL edits build one). `sync` turns a list of existing entries into a list of
-- wanted values while the longest common part keeps its lines and bytes untouched.
local M = {}

-- An empty plan: lines replaced, dropped, and added after or before a line (after[0]: at the top).
function M.new()
  return { replace = {}, drop = {}, after = {}, before = {} }
end

local function add_line(map, index, text)
  local list = map[index]
  if not list then
    list = {}
    map[index] = list
  end
  list[#list + 1] = text
end

-- Adds a new line at `position`: { after = index } or { before = index }.
function M.insert(plan, position, text)
  if position.before then
    add_line(plan.before, position.before, text)
  else
    add_line(plan.after, position.after, text)
  end
end

-- Drops every physical line of an entry.
function M.remove(plan, entry)
  for _, i in ipairs(entry.lines) do plan.drop[i] = true end
end

-- The first line of an entry with new arguments: its indentation, the name and the blank after it are kept.
function M.rewrite(plan, lines, entry, args)
  local first = lines[entry.index].text:match("^[^\r]*")
  local lead, space = first:match("^(%s*)%S+(%s*)")
  if not space or space == "" then space = " " end
  -- A comment after the values ("acl localnet src 10.0.0.0/8	# RFC1918 ...") stays on its line.
  local comment = #entry.lines == 1 and first:match("^%s*%S.-(%s+#.*)$") or nil
  plan.replace[entry.index] = (lead or "") .. entry.name .. space .. args .. (comment or "")
  for k = 2, #entry.lines do plan.drop[entry.lines[k]] = true end
end

-- The lines after the plan: new lines end with `newline`, and the last line ends as the file's last line did.
function M.apply(old, plan, newline)
  local out = {}
  local function add_new(list)
    for _, text in ipairs(list or {}) do out[#out + 1] = { text = text, eol = newline } end
  end
  add_new(plan.after[0])
  for i, line in ipairs(old) do
    add_new(plan.before[i])
    if not plan.drop[i] then
      local text = plan.replace[i]
      out[#out + 1] = text and { text = text, eol = line.eol } or line
    end
    add_new(plan.after[i])
  end
  -- Every line but the last ends with a newline; the last ends as the file's last line did.
  for k = 1, #out - 1 do
    if out[k].eol == "" then out[k] = { text = out[k].text, eol = newline } end
  end
  if #old > 0 and old[#old].eol == "" and #out > 0 and out[#out].eol ~= "" then
    out[#out] = { text = out[#out].text, eol = "" }
  end
  return out
end

-- The longest common subsequence of two key lists, as pairs of indexes in increasing order.
local function full_common(a, b)
  local m, n = #a, #b
  if m == 0 or n == 0 or m * n > 200000 then return {} end
  local width = n + 2
  local length = {}
  for i = m + 1, 1, -1 do
    for j = n + 1, 1, -1 do
      local value = 0
      if i <= m and j <= n then
        if a[i] == b[j] then
          value = (length[i * width + j + 1 + width] or 0) + 1
        else
          local down, right = length[(i + 1) * width + j] or 0, length[i * width + j + 1] or 0
          value = down >= right and down or right
        end
      end
      length[i * width + j] = value
    end
  end
  local pairs_list, i, j = {}, 1, 1
  while i <= m and j <= n do
    if a[i] == b[j] then
      pairs_list[#pairs_list + 1] = { i, j }
      i, j = i + 1, j + 1
    elseif (length[(i + 1) * width + j] or 0) >= (length[i * width + j + 1] or 0) then
      i = i + 1
    else
      j = j + 1
    end
  end
  return pairs_list
end

-- The common subsequence, with the equal head and tail of both lists matched first: one value removed from a
-- 1,000-line ACL is too large a table for full_common, yet keeps every other line (and its comment) untouched.
local function common(a, b)
  local head, tail = 0, 0
  while head < #a and head < #b and a[head + 1] == b[head + 1] do head = head + 1 end
  while tail < #a - head and tail < #b - head and a[#a - tail] == b[#b - tail] do tail = tail + 1 end
  local pairs_list, middle_a, middle_b = {}, {}, {}
  for k = 1, head do pairs_list[#pairs_list + 1] = { k, k } end
  for k = head + 1, #a - tail do middle_a[#middle_a + 1] = a[k] end
  for k = head + 1, #b - tail do middle_b[#middle_b + 1] = b[k] end
  for _, pair in ipairs(full_common(middle_a, middle_b)) do
    pairs_list[#pairs_list + 1] = { pair[1] + head, pair[2] + head }
  end
  for k = tail - 1, 0, -1 do pairs_list[#pairs_list + 1] = { #a - k, #b - k } end
  return pairs_list
end

-- Turns existing entries into the wanted values in order: the longest common part stays untouched (when `keep`),
-- the other existing entries are rewritten in order, extra ones removed, and extra values inserted after the last
-- entry kept before them (or before the next one, or where `fallback()` says when there is none).
function M.sync(plan, items, wanted, keep, rewrite, new_text, fallback)
  local anchors = {}
  if keep then
    local item_keys, wanted_keys = {}, {}
    for k, item in ipairs(items) do item_keys[k] = item.key end
    for k, want in ipairs(wanted) do wanted_keys[k] = want.key end
    anchors = common(item_keys, wanted_keys)
  end
  table.insert(anchors, 1, { 0, 0 })
  anchors[#anchors + 1] = { #items + 1, #wanted + 1 }
  for s = 1, #anchors - 1 do
    local from, to = anchors[s], anchors[s + 1]
    local olds, news = {}, {}
    for k = from[1] + 1, to[1] - 1 do olds[#olds + 1] = items[k] end
    for k = from[2] + 1, to[2] - 1 do news[#news + 1] = wanted[k] end
    local reused = math.min(#olds, #news)
    for k = 1, reused do rewrite(olds[k], news[k]) end
    for k = reused + 1, #olds do M.remove(plan, olds[k].entry) end
    if #news > reused then
      local position
      if reused > 0 then
        position = { after = olds[reused].entry.last }
      elseif from[1] >= 1 then
        position = { after = items[from[1]].entry.last }
      elseif to[1] <= #items then
        position = { before = items[to[1]].entry.index }
      else
        position = fallback()
      end
      for k = reused + 1, #news do M.insert(plan, position, new_text(news[k])) end
    end
  end
end

return M
