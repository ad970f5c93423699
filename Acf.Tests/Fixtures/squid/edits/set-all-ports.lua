conf:set_all("http_port", { "8080 # for the lab", "192.168.1.1:3129 intercept" })
