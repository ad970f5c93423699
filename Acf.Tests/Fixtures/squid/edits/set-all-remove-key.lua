conf:set_all("auth_param basic", {})
