conf:set("visible_hostname", "proxy.example.com")
