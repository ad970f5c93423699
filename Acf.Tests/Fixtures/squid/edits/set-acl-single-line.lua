conf:set_acl("SSL_ports", "port", { "443", "8443" })
conf:set_acl("blocked", "dstdomain", { ".example.com", ".example.net" }, "-n")
conf:set_acl("work", "time", { "MTWHF 08:00-17:00", "A 09:00-12:00" })
