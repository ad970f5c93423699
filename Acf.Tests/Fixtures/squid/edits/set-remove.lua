conf:set("cache_mem", nil)
