// Tests of core/decimal: exact parsing, arithmetic, rounding and comparison.
#include <doctest/doctest.h>

#include "core/decimal.hpp"

using vanban::Decimal;

static Decimal D(const char* s) {
    auto d = Decimal::parse(s);
    REQUIRE_MESSAGE(d.has_value(), s);
    return *d;
}

TEST_CASE("parse keeps every digit") {
    CHECK(D("10966.9345").to_plain_string() == "10966.9345");
    CHECK(D("-0.5").to_plain_string() == "-0.5");
    CHECK(D("+2.5").to_plain_string() == "2.5");
    CHECK(D("388231").to_plain_string() == "388231");
    CHECK(D("0").to_plain_string() == "0");
    CHECK(D("007").to_plain_string() == "7");
    CHECK(D("2.00").to_plain_string() == "2");
    CHECK(D("1.5e3").to_plain_string() == "1500");
    CHECK(D("2E-2").to_plain_string() == "0.02");
    CHECK(D("1e+2").to_plain_string() == "100");
    CHECK(D("123456789012345678.123456").to_plain_string() == "123456789012345678.123456");
}

TEST_CASE("parse rejects what is not a plain number") {
    for (const char* bad : {"", "-", ".", "1,5", "1.234,5", " 1", "1 ", "abc", "1e", "1.2.3", "0x10", "NaN", "inf",
                            "1234567890123456789012345678901234567", "0.0000000000000000001"})
        CHECK_MESSAGE(!Decimal::parse(bad).has_value(), bad);
}

TEST_CASE("money adds up exactly") {
    CHECK((D("10966.9345") + D("9890")).to_plain_string() == "20856.9345");
    CHECK((D("769.1197") + D("246.3")).to_plain_string() == "1015.4197");
    Decimal s;
    for (int i = 0; i < 10; ++i) s += D("0.1");
    CHECK(s == D("1"));
    CHECK((D("0.1") + D("0.2")) == D("0.3"));
    CHECK((D("5") - D("7.25")).to_plain_string() == "-2.25");
}

TEST_CASE("multiplication and division") {
    CHECK((D("2.5") * D("4")).to_trimmed_string() == "10");
    CHECK((D("-1.5") * D("1.5")).to_plain_string() == "-2.25");
    CHECK(Decimal::divide(D("2059"), D("18286"), 6).to_plain_string() == "0.112600");
    CHECK((D("2059") / D("18286") * D("100")).round(2).to_plain_string() == "11.26");
    CHECK((D("31502") / D("388231") * D("100")).round(2).to_plain_string() == "8.11");
    CHECK(Decimal::divide(D("1"), D("3"), 4).to_plain_string() == "0.3333");
    CHECK(Decimal::divide(D("2"), D("3"), 4).to_plain_string() == "0.6667");
    CHECK(Decimal::divide(D("-2"), D("3"), 4).to_plain_string() == "-0.6667");
    CHECK(Decimal::divide(D("1"), D("8"), 2).to_plain_string() == "0.13");
    CHECK(Decimal::divide(D("1000000"), D("0.001"), 0).to_plain_string() == "1000000000");
    CHECK_THROWS_AS(D("1") / D("0"), vanban::DecimalDivByZero);
    // A long chain of products keeps max_scale digits and does not overflow.
    Decimal x = D("1") / D("3");
    for (int i = 0; i < 5; ++i) x = x * (D("1") / D("7"));
    CHECK(x > D("0"));
    CHECK(x.scale() <= Decimal::max_scale);
}

TEST_CASE("rounding is half-up away from zero, as Excel ROUND") {
    CHECK(D("2.345").round(2).to_plain_string() == "2.35");
    CHECK(D("-2.345").round(2).to_plain_string() == "-2.35");
    CHECK(D("2.344999").round(2).to_plain_string() == "2.34");
    CHECK(D("0.5").round(0).to_plain_string() == "1");
    CHECK(D("-0.5").round(0).to_plain_string() == "-1");
    CHECK(D("2.5").round(2).to_plain_string() == "2.50");
    CHECK(D("9.995").round(2).to_plain_string() == "10.00");
}

TEST_CASE("comparison is numeric") {
    CHECK(D("2.50") == D("2.5"));
    CHECK(D("-1") < D("0.5"));
    CHECK(D("-1.5") < D("-1.25"));
    CHECK(D("10") > D("9.999999"));
    CHECK(D("0.000001") > D("0"));
    CHECK(D("123456789012345678") > D("123456789012345677.999"));
}

TEST_CASE("overflow is detected") {
    Decimal big = D("99999999999999999999999999999999999");
    CHECK_THROWS_AS(big * big, vanban::DecimalOverflow);
    Decimal huge = big;
    CHECK_THROWS_AS([&] { for (int i = 0; i < 10; ++i) huge = huge * D("1000"); }(), vanban::DecimalOverflow);
}

TEST_CASE("integers and helpers") {
    CHECK(D("7449").to_int() == 7449);
    CHECK(!D("7.5").to_int().has_value());
    CHECK(D("7.50").significant_scale() == 1);
    CHECK(D("3.000").is_integer());
    CHECK(D("20856.9345").to_double() == doctest::Approx(20856.9345));
    CHECK(D("8.11").to_double() == 8.11);
    CHECK(Decimal(-1200).to_plain_string() == "-1200");
}
