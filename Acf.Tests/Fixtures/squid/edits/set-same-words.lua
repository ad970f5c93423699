conf:set("cache_dir", "ufs /var/cache/squid 100 16 256")
conf:set_all("http_port", { "3128  # main" })
