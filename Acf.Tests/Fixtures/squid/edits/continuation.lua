conf:set_acl("blocked", "dstdomain", { ".a.example", ".d.example" })
