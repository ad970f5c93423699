local m = interfaces.parse(text)
assert(m:rename("eth0", "inet", "wan0", "inet"))
local s = m:get("wan0", "inet")
assert(s.auto, "the auto line follows the new name")
assert(m:set("wan0", "inet", s.method, s.options, s.auto) == false, "nothing else changes")
return m
