conf:remove_acl("localnet")
conf:remove_acl("nosuch")
