// vanban_core: see core/decimal.hpp.
#include "core/decimal.hpp"

#include <charconv>
#include <cstdlib>

namespace vanban {

namespace {

using i128 = __int128;
using u128 = unsigned __int128;

constexpr int kMaxPow = 38;

const i128* pow10_table() {
    static const auto table = [] {
        static i128 t[kMaxPow + 1];
        t[0] = 1;
        for (int i = 1; i <= kMaxPow; ++i) t[i] = t[i - 1] * 10;
        return t;
    }();
    return table;
}

i128 pow10(int n) {
    if (n < 0 || n > kMaxPow) throw DecimalOverflow("decimal: power of ten out of range");
    return pow10_table()[n];
}

i128 checked_mul(i128 a, i128 b) {
    i128 r;
    if (__builtin_mul_overflow(a, b, &r)) throw DecimalOverflow("decimal: result too large");
    return r;
}

i128 checked_add(i128 a, i128 b) {
    i128 r;
    if (__builtin_add_overflow(a, b, &r)) throw DecimalOverflow("decimal: result too large");
    return r;
}

u128 magnitude(i128 v) { return v < 0 ? u128(0) - u128(v) : u128(v); }

std::string u128_digits(u128 v) {
    if (v == 0) return "0";
    std::string s;
    while (v > 0) {
        s.insert(s.begin(), char('0' + int(v % 10)));
        v /= 10;
    }
    return s;
}

/// m / 10^k rounded half-up away from zero.
i128 div_pow10_round(i128 m, int k) {
    if (k <= 0) return m;
    if (k > kMaxPow) return 0;
    i128 p = pow10(k);
    i128 q = m / p;
    i128 r = m % p;
    u128 ar = magnitude(r);
    if (ar >= u128(p) - ar) q += (m < 0 ? -1 : 1);
    return q;
}

}  // namespace

Decimal::Decimal(long long v) : mantissa_(v), scale_(0) {}

Decimal Decimal::rescaled_down(i128 m, int s, int target) {
    if (s <= target) return Decimal(m, s);
    return Decimal(div_pow10_round(m, s - target), target);
}

std::optional<Decimal> Decimal::parse(std::string_view t) {
    std::size_t i = 0;
    bool neg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
        neg = t[i] == '-';
        ++i;
    }
    std::string digits;
    int frac = 0;
    bool any = false, point = false;
    for (; i < t.size(); ++i) {
        char c = t[i];
        if (c >= '0' && c <= '9') {
            any = true;
            digits += c;
            if (point) ++frac;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any) return std::nullopt;
    long exp = 0;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        bool eneg = false;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
            eneg = t[i] == '-';
            ++i;
        }
        std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
            if (exp < 1000) exp = exp * 10 + (t[i] - '0');
            ++i;
        }
        if (i == start) return std::nullopt;
        if (eneg) exp = -exp;
    }
    if (i != t.size()) return std::nullopt;

    // Strip leading zeros, then trailing zeros of the fraction.
    std::size_t lead = digits.find_first_not_of('0');
    if (lead == std::string::npos) return Decimal(0, 0);
    long scale = frac - exp;
    while (scale > 0 && digits.size() > lead + 1 && digits.back() == '0') {
        digits.pop_back();
        --scale;
    }
    std::string_view sig(digits.data() + lead, digits.size() - lead);
    if (scale > max_scale) return std::nullopt;
    std::size_t total = sig.size() + (scale < 0 ? std::size_t(-scale) : 0);
    if (total > std::size_t(max_digits)) return std::nullopt;
    i128 m = 0;
    for (char c : sig) m = m * 10 + (c - '0');
    if (scale < 0) {
        m *= pow10(int(-scale));
        scale = 0;
    }
    return Decimal(neg ? -m : m, int(scale));
}

std::string Decimal::to_plain_string() const {
    std::string d = u128_digits(magnitude(mantissa_));
    if (scale_ > 0) {
        if (d.size() <= std::size_t(scale_)) d.insert(0, std::size_t(scale_) + 1 - d.size(), '0');
        d.insert(d.size() - std::size_t(scale_), 1, '.');
    }
    if (mantissa_ < 0) d.insert(0, 1, '-');
    return d;
}

std::string Decimal::to_trimmed_string() const { return trimmed().to_plain_string(); }

double Decimal::to_double() const {
    std::string s = to_plain_string();
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool Decimal::is_integer() const { return scale_ == 0 || mantissa_ % pow10(scale_) == 0; }

std::optional<long long> Decimal::to_int() const {
    if (!is_integer()) return std::nullopt;
    i128 v = mantissa_ / pow10(scale_);
    if (v > i128(9223372036854775807LL) || v < -i128(9223372036854775807LL) - 1) return std::nullopt;
    return static_cast<long long>(v);
}

int Decimal::significant_scale() const { return trimmed().scale_; }

Decimal Decimal::trimmed() const {
    i128 m = mantissa_;
    int s = scale_;
    while (s > 0 && m % 10 == 0) {
        m /= 10;
        --s;
    }
    return Decimal(m, s);
}

Decimal Decimal::round(int digits) const {
    if (digits < 0) digits = 0;
    if (digits > max_scale) digits = max_scale;
    if (digits >= scale_) return Decimal(checked_mul(mantissa_, pow10(digits - scale_)), digits);
    return Decimal(div_pow10_round(mantissa_, scale_ - digits), digits);
}

Decimal Decimal::operator-() const { return Decimal(checked_mul(mantissa_, -1), scale_); }

Decimal Decimal::abs() const { return mantissa_ < 0 ? -*this : *this; }

Decimal operator+(const Decimal& a, const Decimal& b) {
    int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
    i128 x = checked_mul(a.mantissa_, pow10(s - a.scale_));
    i128 y = checked_mul(b.mantissa_, pow10(s - b.scale_));
    return Decimal(checked_add(x, y), s);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal operator*(const Decimal& a, const Decimal& b) {
    Decimal x = a.trimmed(), y = b.trimmed();
    i128 m;
    while (__builtin_mul_overflow(x.mantissa_, y.mantissa_, &m)) {
        // Give up the least significant digit of the operand with more decimals.
        if (x.scale_ == 0 && y.scale_ == 0) throw DecimalOverflow("decimal: product too large");
        if (x.scale_ >= y.scale_) x = x.round(x.scale_ - 1);
        else y = y.round(y.scale_ - 1);
    }
    return Decimal::rescaled_down(m, x.scale_ + y.scale_, Decimal::max_scale);
}

Decimal Decimal::divide(const Decimal& a, const Decimal& b, int digits) {
    if (b.mantissa_ == 0) throw DecimalDivByZero("decimal: division by zero");
    if (digits < 0) digits = 0;
    if (digits > max_scale) digits = max_scale;
    bool neg = (a.mantissa_ < 0) != (b.mantissa_ < 0);
    u128 A = magnitude(a.mantissa_);
    u128 B = magnitude(b.mantissa_);
    const u128 limit = u128(~u128(0)) / 10;
    int e = digits + b.scale_ - a.scale_;
    u128 q, r;
    if (e >= 0) {
        q = A / B;
        r = A % B;
        for (int i = 0; i < e; ++i) {
            if (q > limit || r > limit) throw DecimalOverflow("decimal: quotient too large");
            u128 r10 = r * 10;
            q = q * 10 + r10 / B;
            r = r10 % B;
        }
    } else {
        u128 Bs = B;
        for (int i = 0; i < -e; ++i) {
            if (Bs > limit) return Decimal(0, digits);
            Bs *= 10;
        }
        q = A / Bs;
        r = A % Bs;
        B = Bs;
    }
    if (r >= B - r) ++q;
    if (q > u128(~u128(0) >> 1)) throw DecimalOverflow("decimal: quotient too large");
    i128 m = i128(q);
    return Decimal(neg ? -m : m, digits);
}

Decimal operator/(const Decimal& a, const Decimal& b) { return Decimal::divide(a, b, Decimal::division_scale); }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    int sa = a.mantissa_ < 0 ? -1 : (a.mantissa_ > 0 ? 1 : 0);
    int sb = b.mantissa_ < 0 ? -1 : (b.mantissa_ > 0 ? 1 : 0);
    if (sa != sb) return sa <=> sb;
    i128 ia = a.mantissa_ / pow10(a.scale_), ib = b.mantissa_ / pow10(b.scale_);
    if (ia != ib) return ia <=> ib;
    int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
    i128 fa = (a.mantissa_ % pow10(a.scale_)) * pow10(s - a.scale_);
    i128 fb = (b.mantissa_ % pow10(b.scale_)) * pow10(s - b.scale_);
    return fa <=> fb;
}

}  // namespace vanban
