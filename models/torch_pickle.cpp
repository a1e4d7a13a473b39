#include "models/torch_pickle.h"

#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "core/quote.h"

namespace avvp::models::pickle {

namespace {

using Kind = Value::Kind;

ValuePtr make(Kind k) {
    auto v = std::make_shared<Value>();
    v->kind = k;
    return v;
}

ValuePtr makeInt(std::int64_t i) {
    auto v = make(Kind::Int);
    v->i = i;
    return v;
}

ValuePtr makeString(std::string s, Kind k = Kind::String) {
    auto v = make(k);
    v->s = std::move(s);
    return v;
}

[[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error(why);
}

std::int64_t asInt(const ValuePtr& v, const char* what) {
    if (v->kind == Kind::Int) return v->i;
    if (v->kind == Kind::Bool) return v->b ? 1 : 0;
    fail(std::string(what) + " is not an integer");
}

std::vector<std::int64_t> asInts(const ValuePtr& v, const char* what) {
    if (v->kind != Kind::Tuple && v->kind != Kind::List)
        fail(std::string(what) + " is not a tuple");
    std::vector<std::int64_t> out;
    for (const auto& x : v->items) out.push_back(asInt(x, what));
    return out;
}

// "torch.float32" -> "FloatStorage": the legacy storage name of a dtype.
std::string storageTypeOf(const std::string& dtype) {
    static const std::pair<const char*, const char*> names[] = {
        {"torch.float32", "FloatStorage"},     {"torch.float", "FloatStorage"},
        {"torch.float64", "DoubleStorage"},    {"torch.double", "DoubleStorage"},
        {"torch.float16", "HalfStorage"},      {"torch.half", "HalfStorage"},
        {"torch.bfloat16", "BFloat16Storage"}, {"torch.int64", "LongStorage"},
        {"torch.long", "LongStorage"},         {"torch.int32", "IntStorage"},
        {"torch.int", "IntStorage"},           {"torch.int16", "ShortStorage"},
        {"torch.int8", "CharStorage"},         {"torch.uint8", "ByteStorage"},
        {"torch.bool", "BoolStorage"}};
    for (const auto& [d, n] : names)
        if (dtype == d) return n;
    fail("unsupported tensor dtype " + core::quote(dtype));
}

class Machine {
  public:
    explicit Machine(std::span<const std::byte> p) : p_(p) {}

    ValuePtr run() {
        for (;;) {
            const auto op = static_cast<unsigned char>(byte());
            switch (op) {
                case 0x80:
                    byte();
                    break;  // PROTO
                case 0x95:
                    bytes(8);
                    break;  // FRAME (protocol 4): a length, ignored
                case '.':
                    return pop();  // STOP
                case '(':
                    marks_.push_back(stack_.size());
                    break;  // MARK
                case '0':
                    pop();
                    break;  // POP
                case '1':
                    popMark();
                    break;  // POP_MARK
                case '2':
                    push(top());
                    break;  // DUP
                case 'N':
                    push(make(Kind::None));
                    break;
                case 0x88:
                    pushBool(true);
                    break;  // NEWTRUE
                case 0x89:
                    pushBool(false);
                    break;  // NEWFALSE
                case 'J':
                    push(makeInt(static_cast<std::int32_t>(le(4))));
                    break;  // BININT
                case 'K':
                    push(makeInt(static_cast<std::int64_t>(le(1))));
                    break;  // BININT1
                case 'M':
                    push(makeInt(static_cast<std::int64_t>(le(2))));
                    break;  // BININT2
                case 0x8a:
                    push(makeInt(longInt(le(1))));
                    break;   // LONG1
                case 'G': {  // BINFLOAT: big-endian double
                    std::uint64_t bits = 0;
                    for (int k = 0; k < 8; ++k)
                        bits = (bits << 8) | static_cast<unsigned char>(byte());
                    auto v = make(Kind::Float);
                    std::memcpy(&v->f, &bits, 8);
                    push(v);
                    break;
                }
                case 'X':
                    push(makeString(str(le(4))));
                    break;  // BINUNICODE
                case 0x8c:
                    push(makeString(str(le(1))));
                    break;  // SHORT_BINUNICODE
                case 0x8d:
                    push(makeString(str(le(8))));
                    break;  // BINUNICODE8
                case 'B':
                    push(makeString(str(le(4)), Kind::Bytes));
                    break;  // BINBYTES
                case 'C':
                    push(makeString(str(le(1)), Kind::Bytes));
                    break;  // SHORT_BINBYTES
                case 0x8e:
                    push(makeString(str(le(8)), Kind::Bytes));
                    break;  // BINBYTES8
                case ')':
                    push(make(Kind::Tuple));
                    break;  // EMPTY_TUPLE
                case ']':
                    push(make(Kind::List));
                    break;  // EMPTY_LIST
                case '}':
                    push(make(Kind::Dict));
                    break;  // EMPTY_DICT
                case 0x8f:
                    push(make(Kind::List));
                    break;   // EMPTY_SET (as a list)
                case 't': {  // TUPLE
                    auto t = make(Kind::Tuple);
                    t->items = popMark();
                    push(t);
                    break;
                }
                case 0x85:
                case 0x86:
                case 0x87: {  // TUPLE1..3
                    auto t = make(Kind::Tuple);
                    const int n = op - 0x84;
                    t->items.resize(static_cast<std::size_t>(n));
                    for (int k = n; k-- > 0;) t->items[static_cast<std::size_t>(k)] = pop();
                    push(t);
                    break;
                }
                case 'l': {  // LIST
                    auto l = make(Kind::List);
                    l->items = popMark();
                    push(l);
                    break;
                }
                case 'a': {  // APPEND
                    auto x = pop();
                    listOf(top())->items.push_back(x);
                    break;
                }
                case 'e':
                case 0x90: {  // APPENDS, ADDITEMS
                    auto xs = popMark();
                    auto& l = listOf(top())->items;
                    l.insert(l.end(), xs.begin(), xs.end());
                    break;
                }
                case 's': {  // SETITEM
                    auto v = pop();
                    auto k = pop();
                    dictOf(top())->dict.emplace_back(k, v);
                    break;
                }
                case 'u': {  // SETITEMS
                    auto xs = popMark();
                    if (xs.size() % 2) fail("SETITEMS with an odd number of items");
                    auto d = dictOf(top());
                    for (std::size_t k = 0; k < xs.size(); k += 2)
                        d->dict.emplace_back(xs[k], xs[k + 1]);
                    break;
                }
                case 'q':
                    memo_[le(1)] = top();
                    break;  // BINPUT
                case 'r':
                    memo_[le(4)] = top();
                    break;  // LONG_BINPUT
                case 0x94:
                    memo_[memo_.size()] = top();
                    break;  // MEMOIZE
                case 'h':
                    push(memo(le(1)));
                    break;  // BINGET
                case 'j':
                    push(memo(le(4)));
                    break;   // LONG_BINGET
                case 'c': {  // GLOBAL "module\nname\n"
                    std::string module = line();
                    std::string name = line();
                    push(makeString(module + "." + name, Kind::Global));
                    break;
                }
                case 0x93: {  // STACK_GLOBAL
                    auto name = pop();
                    auto module = pop();
                    if (!module->isString() || !name->isString())
                        fail("STACK_GLOBAL of non-strings");
                    push(makeString(module->s + "." + name->s, Kind::Global));
                    break;
                }
                case 'Q':
                    push(persistent(pop()));
                    break;   // BINPERSID
                case 'R': {  // REDUCE
                    auto args = pop();
                    auto callable = pop();
                    push(reduce(callable, args));
                    break;
                }
                case 0x81: {  // NEWOBJ
                    auto args = pop();
                    auto cls = pop();
                    push(reduce(cls, args));
                    break;
                }
                case 'b': {  // BUILD: state for the object below; an OrderedDict's
                             // _metadata (module versions) is of no use to us
                    auto state = pop();
                    auto obj = top();
                    if (obj->kind == Kind::Object) obj->items.push_back(state);
                    break;
                }
                default: {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "unsupported pickle opcode 0x%02x at byte %zu",
                                  op, pos_ - 1);
                    fail(buf);
                }
            }
        }
    }

  private:
    std::byte byte() {
        if (pos_ >= p_.size()) fail("the pickle program ends early (truncated file?)");
        return p_[pos_++];
    }
    std::string bytes(std::size_t n) {
        if (n > p_.size() - pos_) fail("the pickle program ends early (truncated file?)");
        std::string s(reinterpret_cast<const char*>(p_.data()) + pos_, n);
        pos_ += n;
        return s;
    }
    std::string str(std::uint64_t n) { return bytes(static_cast<std::size_t>(n)); }
    std::uint64_t le(int n) {
        std::uint64_t v = 0;
        for (int k = 0; k < n; ++k)
            v |= std::uint64_t{static_cast<unsigned char>(byte())} << (8 * k);
        return v;
    }
    std::int64_t longInt(std::uint64_t n) {
        if (n > 8) fail("integer wider than 64 bits");
        const std::string b = bytes(static_cast<std::size_t>(n));
        std::uint64_t v = 0;
        for (std::size_t k = 0; k < b.size(); ++k)
            v |= std::uint64_t{static_cast<unsigned char>(b[k])} << (8 * k);
        if (n > 0 && n < 8 && (static_cast<unsigned char>(b.back()) & 0x80))
            v |= ~std::uint64_t{0} << (8 * n);  // sign-extend
        return static_cast<std::int64_t>(v);
    }
    std::string line() {
        std::string s;
        for (char c = static_cast<char>(byte()); c != '\n'; c = static_cast<char>(byte())) s += c;
        return s;
    }
    void push(ValuePtr v) { stack_.push_back(std::move(v)); }
    void pushBool(bool b) {
        auto v = make(Kind::Bool);
        v->b = b;
        push(v);
    }
    ValuePtr pop() {
        if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
            fail("pickle stack underflow");
        auto v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    const ValuePtr& top() const {
        if (stack_.empty()) fail("pickle stack underflow");
        return stack_.back();
    }
    std::vector<ValuePtr> popMark() {
        if (marks_.empty()) fail("pickle MARK missing");
        const auto m = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> out(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
        stack_.resize(m);
        return out;
    }
    ValuePtr memo(std::uint64_t k) const {
        auto it = memo_.find(k);
        if (it == memo_.end()) fail("pickle memo entry " + std::to_string(k) + " missing");
        return it->second;
    }
    static const ValuePtr& listOf(const ValuePtr& v) {
        if (v->kind != Kind::List) fail("APPEND to a " + describe(*v));
        return v;
    }
    static const ValuePtr& dictOf(const ValuePtr& v) {
        if (v->kind != Kind::Dict) fail("SETITEM on a " + describe(*v));
        return v;
    }

    // ('storage', <storage type global>, key, location, numel)
    static ValuePtr persistent(const ValuePtr& pid) {
        if (pid->kind != Kind::Tuple || pid->items.size() < 5 || !pid->items[0]->isString() ||
            pid->items[0]->s != "storage")
            fail("unsupported persistent id (not a tensor storage)");
        auto v = make(Kind::Storage);
        const auto& type = pid->items[1];
        if (type->kind != Kind::Global) fail("storage type is not a global");
        const auto dot = type->s.rfind('.');
        v->tensor.storageType = type->s.substr(dot + 1);
        if (!pid->items[2]->isString()) fail("storage key is not a string");
        v->tensor.storageKey = pid->items[2]->s;
        v->tensor.location = pid->items[3]->isString() ? pid->items[3]->s : "cpu";
        v->tensor.storageNumel = asInt(pid->items[4], "storage size");
        return v;
    }

    static ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args) {
        if (callable->kind != Kind::Global) fail("call of a non-global " + describe(*callable));
        const std::string& name = callable->s;
        const auto& a = args->items;
        if (name == "collections.OrderedDict" || name == "builtins.dict") {
            auto d = make(Kind::Dict);
            // OrderedDict([(k, v), ...]) is legal too.
            if (!a.empty() && a[0]->kind == Kind::List)
                for (const auto& kv : a[0]->items)
                    if (kv->kind == Kind::Tuple && kv->items.size() == 2)
                        d->dict.emplace_back(kv->items[0], kv->items[1]);
            return d;
        }
        // (storage, offset, size, stride, requires_grad, hooks[, dtype (v3)][, metadata])
        const bool v3 = name == "torch._utils._rebuild_tensor_v3";
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor" ||
            v3) {
            if (a.size() < (v3 ? 7U : 4U) || a[0]->kind != Kind::Storage)
                fail("malformed tensor record");
            auto t = make(Kind::Tensor);
            t->tensor = a[0]->tensor;
            t->tensor.offset = asInt(a[1], "tensor offset");
            t->tensor.size = asInts(a[2], "tensor size");
            t->tensor.stride = asInts(a[3], "tensor stride");
            if (t->tensor.size.size() != t->tensor.stride.size())
                fail("tensor size and stride differ in rank");
            if (v3) {
                // Newer PyTorch: an untyped (byte) storage and the dtype as a global.
                if (a[6]->kind != Kind::Global) fail("malformed tensor record (dtype)");
                t->tensor.storageType = storageTypeOf(a[6]->s);
                t->tensor.storageNumel = 0;  // bytes, not elements: bounds are checked later
            }
            return t;
        }
        if (name == "torch._utils._rebuild_parameter" ||
            name == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty() || a[0]->kind != Kind::Tensor) fail("malformed parameter record");
            return a[0];
        }
        // LibTorch's pickler tags typed containers; the value is the first argument.
        if (name == "torch.jit._pickle.restore_type_tag") {
            if (a.empty()) fail("malformed type tag");
            return a[0];
        }
        if (name.rfind("torch.jit._pickle.build_", 0) == 0) {
            if (a.empty()) fail("malformed " + core::quote(name));
            return a[0];
        }
        // Anything else (argparse.Namespace, numpy scalars, ...) is kept opaque: an error
        // only if someone needs its value.
        auto o = make(Kind::Object);
        o->s = name;
        o->items = {callable, args};
        return o;
    }

    std::span<const std::byte> p_;
    std::size_t pos_ = 0;
    std::vector<ValuePtr> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint64_t, ValuePtr> memo_;
};

}  // namespace

const ValuePtr* Value::find(const std::string& key) const {
    for (const auto& [k, v] : dict)
        if (k->isString() && k->s == key) return &v;
    return nullptr;
}

ValuePtr unpickle(std::span<const std::byte> program) {
    return Machine(program).run();
}

std::string describe(const Value& v) {
    switch (v.kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "bool";
        case Kind::Int:
            return "int";
        case Kind::Float:
            return "float";
        case Kind::String:
            return "string";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "tuple of " + std::to_string(v.items.size());
        case Kind::List:
            return "list of " + std::to_string(v.items.size());
        case Kind::Dict:
            return "dict with " + std::to_string(v.dict.size()) + " entries";
        case Kind::Global:
            return "global " + core::quote(v.s);
        case Kind::Object:
            return "object " + core::quote(v.s);
        case Kind::Tensor:
            return "tensor";
        case Kind::Storage:
            return "storage";
    }
    return "?";
}

}  // namespace avvp::models::pickle
