conf:set("visible_hostname", "proxy.example.com")
conf:set("cache_mem", "256 MB")
