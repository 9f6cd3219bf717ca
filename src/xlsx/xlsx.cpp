// vanban_xlsx: see the module header.
