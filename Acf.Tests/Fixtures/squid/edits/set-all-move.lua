conf:set_all("http_access", { "deny !Safe_ports", "allow localhost", "allow localnet", "deny all" })
