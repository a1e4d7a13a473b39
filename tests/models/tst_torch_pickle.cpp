// The pickle reader of torch.save archives (models/torch_pickle.h) on hand-assembled
// programs: the protocol-2 state_dict shape PyTorch 1.x writes, the protocol-4 opcodes and
// the _rebuild_tensor_v3 records of newer PyTorch, and malformed programs.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/torch_pickle.h"

using namespace avvp::models::pickle;

namespace {

// A tiny assembler for pickle programs.
struct Program {
    std::string b;
    Program& op(unsigned char c) {
        b += static_cast<char>(c);
        return *this;
    }
    Program& global(const std::string& module, const std::string& name) {
        return op('c').raw(module + "\n" + name + "\n");
    }
    Program& str(const std::string& s) {  // BINUNICODE
        op('X');
        for (int k = 0; k < 4; ++k) b += static_cast<char>((s.size() >> (8 * k)) & 0xff);
        return raw(s);
    }
    Program& shortStr(const std::string& s) {  // SHORT_BINUNICODE (protocol 4)
        op(0x8c);
        b += static_cast<char>(s.size());
        return raw(s);
    }
    Program& int1(int v) { return op('K').op(static_cast<unsigned char>(v)); }
    Program& raw(const std::string& s) {
        b += s;
        return *this;
    }
    std::vector<std::byte> bytes() const {
        std::vector<std::byte> out(b.size());
        std::memcpy(out.data(), b.data(), b.size());
        return out;
    }
    ValuePtr run() const {
        const auto v = bytes();
        return unpickle(v);
    }
};

// The tensor record of PyTorch 1.x: _rebuild_tensor_v2((storage pid), offset, size,
// stride, requires_grad, OrderedDict()).
Program& tensorV2(Program& p, const std::string& key, int numel) {
    p.global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.op('(')
        .str("storage")
        .global("torch", "FloatStorage")
        .str(key)
        .str("cpu")
        .int1(numel)
        .op('t');
    p.op('Q');  // BINPERSID
    p.int1(0).int1(2).int1(3).op(0x86).int1(3).int1(1).op(0x86).op(0x89);
    p.global("collections", "OrderedDict").op(')').op('R');
    return p.op('t').op('R');
}

}  // namespace

TEST(TorchPickle, StateDictOfPyTorch1) {
    Program p;
    p.op(0x80).op(2).global("collections", "OrderedDict").op('q').op(0).op(')').op('R');
    p.op('q').op(1).op('(').str("fc.weight");
    tensorV2(p, "0", 6);
    p.str("fc.bias");
    tensorV2(p, "1", 6);
    p.op('u');
    // state_dict._metadata, set through BUILD on the OrderedDict: ignored.
    p.op('}').str("_metadata").op('}').op('s').op('b');
    p.op('.');
    const auto v = p.run();
    ASSERT_EQ(v->kind, Value::Kind::Dict);
    ASSERT_EQ(v->dict.size(), 2U);
    const auto* w = v->find("fc.weight");
    ASSERT_NE(w, nullptr);
    EXPECT_EQ((*w)->kind, Value::Kind::Tensor);
    EXPECT_EQ((*w)->tensor.storageType, "FloatStorage");
    EXPECT_EQ((*w)->tensor.storageKey, "0");
    EXPECT_EQ((*w)->tensor.size, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ((*w)->tensor.stride, (std::vector<std::int64_t>{3, 1}));
    EXPECT_EQ((*v->find("fc.bias"))->tensor.storageKey, "1");
}

TEST(TorchPickle, Protocol4AndRebuildTensorV3) {
    Program p;
    p.op(0x80).op(4).op(0x95).raw(std::string(8, '\0'));  // PROTO 4, FRAME
    p.shortStr("torch._utils")
        .op(0x94)
        .shortStr("_rebuild_tensor_v3")
        .op(0x94)
        .op(0x93);  // STACK_GLOBAL
    p.op('(')
        .op('(')
        .shortStr("storage")
        .global("torch", "UntypedStorage")
        .shortStr("7")
        .shortStr("cuda:0");
    p.int1(24).op('t').op('Q');
    p.int1(0).int1(6).op(0x85).int1(1).op(0x85).op(0x89);
    p.global("collections", "OrderedDict").op(')').op('R');
    p.global("torch", "float32").op('t').op('R');
    p.op('.');
    const auto v = p.run();
    ASSERT_EQ(v->kind, Value::Kind::Tensor);
    EXPECT_EQ(v->tensor.storageType, "FloatStorage");
    EXPECT_EQ(v->tensor.storageKey, "7");
    EXPECT_EQ(v->tensor.location, "cuda:0");
    EXPECT_EQ(v->tensor.size, (std::vector<std::int64_t>{6}));
}

TEST(TorchPickle, NumbersListsAndMemo) {
    Program p;
    p.op(0x80).op(2).op(']').op('(').int1(7).op('q').op(1).op('M').raw("\x10\x27");  // 10000
    p.op('J').raw("\xff\xff\xff\xff");                                               // -1
    p.op(0x8a).op(1).op(0x80);                                                       // LONG1 -128
    p.op('G').raw(std::string("\x3f\xf8\0\0\0\0\0\0", 8));                           // 1.5
    p.op(0x88).op('N').op('h').op(1).op('e').op('.');
    const auto v = p.run();
    ASSERT_EQ(v->kind, Value::Kind::List);
    ASSERT_EQ(v->items.size(), 8U);
    EXPECT_EQ(v->items[0]->i, 7);
    EXPECT_EQ(v->items[1]->i, 10000);
    EXPECT_EQ(v->items[2]->i, -1);
    EXPECT_EQ(v->items[3]->i, -128);
    EXPECT_DOUBLE_EQ(v->items[4]->f, 1.5);
    EXPECT_TRUE(v->items[5]->b);
    EXPECT_EQ(v->items[6]->kind, Value::Kind::None);
    EXPECT_EQ(v->items[7], v->items[0]);  // BINGET 1: the memoised 7
}

TEST(TorchPickle, RefusesMalformedPrograms) {
    auto error = [](const Program& p) {
        try {
            p.run();
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    Program truncated;
    truncated.op(0x80).op(2).op('X').raw("\x10\0\0\0abc");
    EXPECT_NE(error(truncated).find("ends early"), std::string::npos);
    Program unknown;
    unknown.op(0x80).op(2).op('I').raw("12\n.");  // text INT: not emitted by torch.save
    EXPECT_NE(error(unknown).find("unsupported pickle opcode 0x49"), std::string::npos);
    Program noMemo;
    noMemo.op(0x80).op(2).op('h').op(5).op('.');
    EXPECT_NE(error(noMemo).find("memo entry 5 missing"), std::string::npos);
    // A tensor rebuilt with the storage dtype `dtypeName` (a global of module torch).
    auto withDtype = [](const std::string& dtypeName) {
        Program p;
        p.op(0x80).op(2).global("torch._utils", "_rebuild_tensor_v3").op('(');
        p.op('(')
            .str("storage")
            .global("torch", "UntypedStorage")
            .str("0")
            .str("cpu")
            .int1(8)
            .op('t')
            .op('Q');
        p.int1(0)
            .op(')')
            .op(')')
            .op(0x89)
            .op('N')
            .global("torch", dtypeName)
            .op('t')
            .op('R')
            .op('.');
        return p;
    };
    EXPECT_NE(error(withDtype("complex64")).find("unsupported tensor dtype 'torch.complex64'"),
              std::string::npos);

    // Issue 19, item 4: a type name read from the file is quoted, its control characters
    // escaped (no raw ESC reaches the terminal) and a 10 KB name cut.
    const auto e = error(withDtype("\x1b[2J" + std::string(10240, 'a')));
    EXPECT_EQ(e.find('\x1b'), std::string::npos) << e;
    EXPECT_NE(e.find("unsupported tensor dtype 'torch.\\x1b[2Jaaa"), std::string::npos) << e;
    EXPECT_LT(e.size(), 200u) << e.size();
}
