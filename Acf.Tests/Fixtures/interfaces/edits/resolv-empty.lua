local c = resolvconf.parse(text)
assert(c:set_nameservers({ "192.0.2.53" }))
assert(c:set_search({ "example.com" }))
return c
