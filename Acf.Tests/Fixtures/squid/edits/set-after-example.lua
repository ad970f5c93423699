conf:set("cache_dir", "ufs /var/cache/squid 1000 16 256")
