// vanban_table: see table/expr.hpp.
#include "table/expr.hpp"
#include "core/i18n.hpp"

#include <cctype>

namespace vanban::table {

struct Expr::Node {
    enum class Kind { number, name, neg, binary, call };
    enum class Op { add, sub, mul, div, lt, le, gt, ge, eq, ne };
    enum class Fn { round, min, max, sum, abs, if_ };

    Kind kind = Kind::number;
    Decimal number;
    std::string text;  ///< number: literal as written; name: key
    Op op = Op::add;
    Fn fn = Fn::sum;
    std::vector<std::shared_ptr<const Node>> args;
    std::size_t offset = 0;
};

namespace {

using Node = Expr::Node;
using NodePtr = std::shared_ptr<const Node>;

struct ParseFailure {
    ExprError error;
};

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    NodePtr parse_all() {
        skip();
        if (pos_ >= s_.size()) fail(pos_, tx("empty expression"));
        NodePtr n = compare(false);
        skip();
        if (pos_ < s_.size()) fail(pos_, describe_here(tx("an operator or the end of the expression")));
        return n;
    }

private:
    [[noreturn]] void fail(std::size_t at, std::string msg) { throw ParseFailure{{at, std::move(msg)}}; }

    std::string describe_here(const std::string& expected) {
        if (pos_ >= s_.size()) return tx("expected {}, found the end of the expression", expected);
        std::size_t len = 1;
        unsigned char c = static_cast<unsigned char>(s_[pos_]);
        if (c >= 0xC0) len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        return tx("expected {}, found '{}'", expected, s_.substr(pos_, len));
    }

    void skip() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }

    bool eat(std::string_view tok) {
        skip();
        if (s_.substr(pos_, tok.size()) == tok) {
            pos_ += tok.size();
            return true;
        }
        return false;
    }

    static NodePtr binary(Node::Op op, NodePtr a, NodePtr b, std::size_t at) {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::binary;
        n->op = op;
        n->offset = at;
        n->args = {std::move(a), std::move(b)};
        return n;
    }

    // allowed: whether a comparison may appear here (if()'s first argument)
    NodePtr compare(bool allowed) {
        NodePtr left = sum();
        skip();
        std::size_t at = pos_;
        Node::Op op;
        if (eat("<=")) op = Node::Op::le;
        else if (eat(">=")) op = Node::Op::ge;
        else if (eat("<>") || eat("!=")) op = Node::Op::ne;
        else if (eat("==") || eat("=")) op = Node::Op::eq;
        else if (eat("<")) op = Node::Op::lt;
        else if (eat(">")) op = Node::Op::gt;
        else return left;
        if (!allowed) fail(at, tx("a comparison may only be the first argument of if(condition, a, b)"));
        NodePtr right = sum();
        return binary(op, std::move(left), std::move(right), at);
    }

    NodePtr sum() {
        NodePtr left = product();
        for (;;) {
            skip();
            std::size_t at = pos_;
            if (eat("+")) left = binary(Node::Op::add, left, product(), at);
            else if (eat("-")) left = binary(Node::Op::sub, left, product(), at);
            else return left;
        }
    }

    NodePtr product() {
        NodePtr left = unary();
        for (;;) {
            skip();
            std::size_t at = pos_;
            if (eat("*")) left = binary(Node::Op::mul, left, unary(), at);
            else if (eat("/")) left = binary(Node::Op::div, left, unary(), at);
            else return left;
        }
    }

    struct Nest {
        Parser& p;
        explicit Nest(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxDepth) p.fail(p.pos_, tx("the expression is nested too deeply"));
        }
        ~Nest() { --p.depth_; }
    };
    static constexpr int kMaxDepth = 200;

    NodePtr unary() {
        Nest nest(*this);
        skip();
        std::size_t at = pos_;
        if (eat("-")) {
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::neg;
            n->offset = at;
            n->args = {unary()};
            return n;
        }
        if (eat("+")) return unary();
        return primary();
    }

    NodePtr primary() {
        skip();
        std::size_t at = pos_;
        if (pos_ >= s_.size()) fail(pos_, describe_here(tx("a number, a column name or '('")));
        char c = s_[pos_];
        if (c == '(') {
            ++pos_;
            NodePtr inner = compare(false);
            if (!eat(")")) fail(pos_, describe_here("')'"));
            return inner;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            std::size_t start = pos_;
            while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
            std::string lit(s_.substr(start, pos_ - start));
            auto d = Decimal::parse(lit);
            if (!d || lit.front() == '.' || lit.back() == '.') fail(start, tx("invalid number '{}' (write e.g. 100 or 0.5)", lit));
            if (pos_ < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
                fail(pos_, describe_here(tx("an operator after the number")));
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::number;
            n->number = *d;
            n->text = lit;
            n->offset = start;
            return n;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t start = pos_;
            while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
            std::string name(s_.substr(start, pos_ - start));
            skip();
            if (pos_ < s_.size() && s_[pos_] == '(') return call(name, start);
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::name;
            n->text = name;
            n->offset = start;
            return n;
        }
        (void)at;
        fail(pos_, describe_here(tx("a number, a column name or '('")));
    }

    NodePtr call(const std::string& name, std::size_t at) {
        std::string lower;
        for (char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::call;
        n->offset = at;
        n->text = lower;
        if (lower == "round") n->fn = Node::Fn::round;
        else if (lower == "min") n->fn = Node::Fn::min;
        else if (lower == "max") n->fn = Node::Fn::max;
        else if (lower == "sum") n->fn = Node::Fn::sum;
        else if (lower == "abs") n->fn = Node::Fn::abs;
        else if (lower == "if") n->fn = Node::Fn::if_;
        else fail(at, tx("unknown function '{}' (known: round, min, max, sum, abs, if)", name));
        ++pos_;  // '('
        std::vector<NodePtr> args;
        skip();
        if (!eat(")")) {
            for (;;) {
                args.push_back(compare(n->fn == Node::Fn::if_ && args.empty()));
                if (eat(",")) continue;
                if (eat(")")) break;
                fail(pos_, describe_here(tx("',' or ')'")));
            }
        }
        auto arity = [&](std::size_t lo, std::size_t hi, const char* shape) {
            if (args.size() < lo || args.size() > hi)
                fail(at, tx("{}() takes {}, found {} argument(s)", name, tx(shape), args.size()));
        };
        switch (n->fn) {
            case Node::Fn::round:
                arity(2, 2, N_("2 arguments: round(x, digits)"));
                if (args[1]->kind != Node::Kind::number || !args[1]->number.is_integer() ||
                    args[1]->number > Decimal(Decimal::max_scale))
                    fail(args[1]->offset, tx("round(x, digits): digits must be a whole number 0..18"));
                break;
            case Node::Fn::abs: arity(1, 1, N_("1 argument")); break;
            case Node::Fn::if_:
                arity(3, 3, N_("3 arguments: if(condition, a, b)"));
                if (args[0]->kind != Node::Kind::binary || args[0]->op < Node::Op::lt)
                    fail(args[0]->offset, tx("if(condition, a, b): the condition must be a comparison such as c1 > 0"));
                break;
            default: arity(1, 255, N_("at least 1 argument")); break;
        }
        n->args = std::move(args);
        return n;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

void collect_refs(const Node& n, std::vector<Expr::Reference>& out) {
    if (n.kind == Node::Kind::name) out.push_back({n.text, n.offset});
    for (const auto& a : n.args) collect_refs(*a, out);
}

bool divides(const Node& n) {
    if (n.kind == Node::Kind::binary && n.op == Node::Op::div) {
        const Node& d = *n.args[1];
        if (!(d.kind == Node::Kind::number && !d.number.is_zero())) return true;
    }
    for (const auto& a : n.args)
        if (divides(*a)) return true;
    return false;
}

using Lookup = std::function<std::optional<Decimal>(const std::string&)>;

Value eval(const Node& n, const Lookup& lookup);

Value fail_value(Value::Status s, std::string key = {}) {
    Value v;
    v.status = s;
    v.missing_key = std::move(key);
    return v;
}

Value ok_value(Decimal d) {
    Value v;
    v.number = d;
    return v;
}

Value eval(const Node& n, const Lookup& lookup) {
    switch (n.kind) {
        case Node::Kind::number: return ok_value(n.number);
        case Node::Kind::name: {
            auto v = lookup(n.text);
            if (!v) return fail_value(Value::Status::missing, n.text);
            return ok_value(*v);
        }
        case Node::Kind::neg: {
            Value a = eval(*n.args[0], lookup);
            if (!a.ok()) return a;
            return ok_value(-a.number);
        }
        case Node::Kind::binary: {
            Value a = eval(*n.args[0], lookup);
            if (!a.ok()) return a;
            Value b = eval(*n.args[1], lookup);
            if (!b.ok()) return b;
            const Decimal& x = a.number;
            const Decimal& y = b.number;
            switch (n.op) {
                case Node::Op::add: return ok_value(x + y);
                case Node::Op::sub: return ok_value(x - y);
                case Node::Op::mul: return ok_value(x * y);
                case Node::Op::div:
                    if (y.is_zero()) return fail_value(Value::Status::div_zero);
                    return ok_value(x / y);
                case Node::Op::lt: return ok_value(Decimal(x < y ? 1 : 0));
                case Node::Op::le: return ok_value(Decimal(x <= y ? 1 : 0));
                case Node::Op::gt: return ok_value(Decimal(x > y ? 1 : 0));
                case Node::Op::ge: return ok_value(Decimal(x >= y ? 1 : 0));
                case Node::Op::eq: return ok_value(Decimal(x == y ? 1 : 0));
                case Node::Op::ne: return ok_value(Decimal(x != y ? 1 : 0));
            }
            break;
        }
        case Node::Kind::call: {
            if (n.fn == Node::Fn::if_) {
                Value c = eval(*n.args[0], lookup);
                if (!c.ok()) return c;
                return eval(*n.args[c.number.is_zero() ? 2 : 1], lookup);
            }
            std::vector<Decimal> vals;
            for (std::size_t i = 0; i < n.args.size(); ++i) {
                Value a = eval(*n.args[i], lookup);
                if (!a.ok()) return a;
                vals.push_back(a.number);
            }
            switch (n.fn) {
                case Node::Fn::round: return ok_value(vals[0].round(static_cast<int>(*vals[1].to_int())));
                case Node::Fn::abs: return ok_value(vals[0].abs());
                case Node::Fn::min: {
                    Decimal m = vals[0];
                    for (const auto& v : vals) if (v < m) m = v;
                    return ok_value(m);
                }
                case Node::Fn::max: {
                    Decimal m = vals[0];
                    for (const auto& v : vals) if (v > m) m = v;
                    return ok_value(m);
                }
                case Node::Fn::sum: {
                    Decimal s;
                    for (const auto& v : vals) s += v;
                    return ok_value(s);
                }
                case Node::Fn::if_: break;
            }
            break;
        }
    }
    return fail_value(Value::Status::missing);
}

// Precedence for printing: 1 comparison, 2 additive, 3 multiplicative, 4 unary, 5 primary.
int precedence(const Node& n) {
    switch (n.kind) {
        case Node::Kind::binary:
            switch (n.op) {
                case Node::Op::add:
                case Node::Op::sub: return 2;
                case Node::Op::mul:
                case Node::Op::div: return 3;
                default: return 1;
            }
        case Node::Kind::neg: return 4;
        default: return 5;
    }
}

const char* op_text(Node::Op op) {
    switch (op) {
        case Node::Op::add: return "+";
        case Node::Op::sub: return "-";
        case Node::Op::mul: return "*";
        case Node::Op::div: return "/";
        case Node::Op::lt: return "<";
        case Node::Op::le: return "<=";
        case Node::Op::gt: return ">";
        case Node::Op::ge: return ">=";
        case Node::Op::eq: return "=";
        case Node::Op::ne: return "<>";
    }
    return "?";
}

const char* fn_text(Node::Fn fn) {
    switch (fn) {
        case Node::Fn::round: return "ROUND";
        case Node::Fn::min: return "MIN";
        case Node::Fn::max: return "MAX";
        case Node::Fn::sum: return "SUM";
        case Node::Fn::abs: return "ABS";
        case Node::Fn::if_: return "IF";
    }
    return "?";
}

class Printer {
public:
    Printer(Formula& out, const std::function<Formula::Part(const std::string&)>& ref) : out_(out), ref_(ref) {}

    void text(const std::string& s) {
        if (!out_.parts.empty() && out_.parts.back().row < 0) out_.parts.back().text += s;
        else out_.parts.push_back({s, -1, -1, -1});
    }

    void print(const Node& n, int min_prec) {
        bool paren = precedence(n) < min_prec;
        if (paren) text("(");
        switch (n.kind) {
            case Node::Kind::number: text(n.number.to_plain_string()); break;
            case Node::Kind::name: {
                Formula::Part p = ref_(n.text);
                if (p.row < 0) text(p.text);
                else out_.parts.push_back(p);
                break;
            }
            case Node::Kind::neg:
                text("-");
                print(*n.args[0], 4);
                break;
            case Node::Kind::binary: {
                int p = precedence(n);
                print(*n.args[0], p);
                text(op_text(n.op));
                // Left-associative: a right operand of equal precedence needs parentheses.
                print(*n.args[1], p + 1);
                break;
            }
            case Node::Kind::call:
                text(fn_text(n.fn));
                text("(");
                for (std::size_t i = 0; i < n.args.size(); ++i) {
                    if (i) text(",");
                    print(*n.args[i], 1);
                }
                text(")");
                break;
        }
        if (paren) text(")");
    }

private:
    Formula& out_;
    const std::function<Formula::Part(const std::string&)>& ref_;
};

}  // namespace

std::optional<Expr> Expr::parse(std::string_view text, ExprError& error) {
    try {
        Parser p(text);
        Expr e;
        e.root_ = p.parse_all();
        e.text_ = std::string(text);
        return e;
    } catch (const ParseFailure& f) {
        error = f.error;
        return std::nullopt;
    }
}

std::vector<Expr::Reference> Expr::references() const {
    std::vector<Reference> out;
    if (root_) collect_refs(*root_, out);
    return out;
}

bool Expr::may_divide_by_zero() const { return root_ && divides(*root_); }

std::optional<int> Expr::top_level_round() const {
    if (root_ && root_->kind == Node::Kind::call && root_->fn == Node::Fn::round)
        return static_cast<int>(*root_->args[1]->number.to_int());
    return std::nullopt;
}

Value Expr::evaluate(const std::function<std::optional<Decimal>(const std::string&)>& lookup) const {
    if (!root_) return fail_value(Value::Status::missing);
    try {
        return eval(*root_, lookup);
    } catch (const DecimalDivByZero&) {
        return fail_value(Value::Status::div_zero);
    }
}

void Expr::append_formula(Formula& out, const std::function<Formula::Part(const std::string&)>& ref) const {
    if (!root_) return;
    Printer p(out, ref);
    p.print(*root_, 1);
}

std::string Expr::to_excel(const std::function<std::string(const std::string&)>& ref) const {
    Formula f;
    append_formula(f, [&](const std::string& name) { return Formula::Part{ref(name), -1, -1, -1}; });
    std::string s;
    for (const auto& p : f.parts) s += p.text;
    return s;
}

}  // namespace vanban::table
