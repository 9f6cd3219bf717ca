// core/decimal: exact decimal numbers for counts, money and rates.
//
// A Decimal is an integer mantissa (128 bits) and a scale (digits after the
// point, 0..max_scale). Addition, subtraction and multiplication are exact;
// division rounds to a requested scale. Rounding is half-up, away from zero,
// as Excel's ROUND does. Binary floating point is never used except in
// to_double(), which exists only for caches that must hold a double (XLSX).
// Results that do not fit throw DecimalOverflow; division by zero throws
// DecimalDivByZero. No locale is consulted anywhere.
#pragma once

#include <compare>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vanban {

class DecimalOverflow : public std::overflow_error {
public:
    using std::overflow_error::overflow_error;
};

class DecimalDivByZero : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

class Decimal {
public:
    /// Most digits kept after the point (results of division, products).
    static constexpr int max_scale = 18;
    /// Scale used by operator/ (the quotient is rounded half-up to it).
    static constexpr int division_scale = 18;
    /// Most significant digits a parsed number may have.
    static constexpr int max_digits = 36;

    Decimal() = default;
    Decimal(long long v);  // NOLINT: implicit so that 0, 100 read naturally

    /// Parses "10966.9345", "-1", "+2.5", "388231", "1.5e3", "2E-2".
    /// Returns nullopt for anything else (spaces, commas, empty, too many digits,
    /// more than max_scale decimals after applying the exponent).
    static std::optional<Decimal> parse(std::string_view text);

    /// Plain text with '.' as the decimal point and no grouping, keeping the
    /// scale: "10966.9345", "-0.50", "7449".
    std::string to_plain_string() const;
    /// Same, with trailing fractional zeros (and a bare point) removed: "246.3".
    std::string to_trimmed_string() const;
    /// Nearest double (for XLSX cached values only).
    double to_double() const;

    int scale() const { return scale_; }
    bool is_zero() const { return mantissa_ == 0; }
    bool is_negative() const { return mantissa_ < 0; }
    bool is_integer() const;
    /// The value when it is an integer that fits in long long.
    std::optional<long long> to_int() const;
    /// Number of digits after the point once trailing zeros are dropped.
    int significant_scale() const;

    /// Rounded half-up (away from zero) to `digits` decimals; the result has
    /// exactly that scale (a smaller scale is padded: 2.5 -> 2.50).
    Decimal round(int digits) const;
    /// Same value with trailing fractional zeros removed.
    Decimal trimmed() const;

    Decimal operator-() const;
    Decimal abs() const;
    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    /// Quotient rounded half-up to division_scale digits.
    friend Decimal operator/(const Decimal& a, const Decimal& b);
    /// Quotient rounded half-up to `digits` decimals (0..max_scale).
    static Decimal divide(const Decimal& a, const Decimal& b, int digits);

    Decimal& operator+=(const Decimal& b) { return *this = *this + b; }
    Decimal& operator-=(const Decimal& b) { return *this = *this - b; }

    /// Numeric comparison: 2.50 == 2.5.
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
    friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

private:
    Decimal(__int128 m, int s) : mantissa_(m), scale_(s) {}
    static Decimal rescaled_down(__int128 m, int s, int target);

    __int128 mantissa_ = 0;
    int scale_ = 0;
};

}  // namespace vanban
