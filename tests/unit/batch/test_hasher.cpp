// Tests of batch/hasher: SHA-256 against the FIPS 180-2 vectors, incremental
// use, delimited fields and files.
#include <doctest/doctest.h>

#include "batch/hasher.hpp"
#include "fixtures.hpp"

using namespace vanban::batch;
using batch_test::TempDir;

TEST_CASE("SHA-256 known vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Hasher h;
    const std::string chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.add(chunk);
    CHECK(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Hasher is incremental and hex() can be read more than once") {
    Hasher h;
    h.add("a").add("b");
    const std::string mid = h.hex();
    CHECK(mid == sha256_hex("ab"));
    CHECK(h.hex() == mid);
    h.add("c");
    CHECK(h.hex() == sha256_hex("abc"));
    Hasher moved = std::move(h);
    CHECK(moved.hex() == sha256_hex("abc"));
}

TEST_CASE("fields are delimited: (\"ab\",\"c\") differs from (\"a\",\"bc\")") {
    Hasher a, b, c;
    a.add_field("ab").add_field("c");
    b.add_field("a").add_field("bc");
    c.add_field("ab").add_field("c");
    CHECK(a.hex() != b.hex());
    CHECK(a.hex() == c.hex());
    CHECK(a.hex() != sha256_hex("abc"));
}

TEST_CASE("files: digest of the content, and a missing file is an InputError naming it") {
    TempDir dir;
    batch_test::write_file(dir / "in.txt", "abc");
    CHECK(sha256_file_hex((dir / "in.txt").string()) == sha256_hex("abc"));
    Hasher h1, h2;
    h1.add_file((dir / "in.txt").string());
    h2.add_field(sha256_hex("abc"));
    CHECK(h1.hex() == h2.hex());
    batch_test::write_file(dir / "in.txt", "abd");
    Hasher h3;
    h3.add_file((dir / "in.txt").string());
    CHECK(h3.hex() != h1.hex());

    const std::string missing = (dir / "missing.csv").string();
    try {
        sha256_file_hex(missing);
        FAIL("expected an InputError");
    } catch (const vanban::InputError& e) {
        REQUIRE(e.diagnostics().items().size() == 1);
        CHECK(e.diagnostics().items()[0].file == missing);
        CHECK(e.diagnostics().items()[0].message.find("No such file") != std::string::npos);
    }
}
