conf:set("auth_param basic program", "/usr/lib/squid/basic_ncsa_auth /etc/squid/passwd", { before = "acl" })
conf:set("auth_param basic realm", "Proxy login", { before = "acl" })
conf:set_acl("authenticated", "proxy_auth", { "REQUIRED" })
