local m = interfaces.parse(text)
local old = m:get("eth0", "inet")
assert(m:rename("eth0", "inet", 1, "wan0", "inet", old.method))
local s = m:get("wan0", "inet")
assert(s.auto, "the auto line follows the new name")
assert(m:set("wan0", "inet", s.method, s.options, s.auto) == false, "nothing else changes")
return m
