// vanban_bind: see the module header.
