local c = resolvconf.parse(text)
assert(c:set_nameservers({ "192.168.10.1", "149.112.112.112" }))
assert(c:set_search({ "example.org" }))
return c
