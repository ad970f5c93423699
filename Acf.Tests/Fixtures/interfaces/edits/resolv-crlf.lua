local c = resolvconf.parse(text)
assert(c:get().search[1] == "home.arpa")
assert(c:set_search({ "home.arpa" }) == false)
assert(c:set_nameservers({ "10.0.0.1", "2001:db8::53" }))
return c
