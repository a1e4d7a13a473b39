#pragma once
// A reader for the pickle program inside a `torch.save` zip file (`<name>/data.pkl`),
// enough for state_dicts and plain containers of tensors: protocols 2 to 5, the
// opcodes Python's pickler emits for dicts, lists, tuples, strings, numbers, globals
// and persistent ids. LibTorch's own unpickler (torch::pickle_load) refuses the
// `collections.OrderedDict` that every state_dict is, so we read it ourselves.
// Tensors come back as references to their storage record; the caller (checkpoint.cpp)
// reads the storage bytes from the zip. Pure C++: no LibTorch here.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace avvp::models::pickle {

struct TensorRef {
    std::string storageKey;   // record name under data/
    std::string storageType;  // "FloatStorage", "DoubleStorage", "HalfStorage", ...
    std::string location;     // "cpu", "cuda:0"
    std::int64_t storageNumel = 0;
    std::int64_t offset = 0;  // in elements
    std::vector<std::int64_t> size, stride;
};

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global,
        Object,
        Tensor,
        Storage
    };
    Kind kind = Kind::None;
    bool b = false;
    std::int64_t i = 0;
    double f = 0.0;
    std::string s;                                    // String, Bytes, Global ("module.name")
    std::vector<ValuePtr> items;                      // Tuple, List; Object: [callable, args]
    std::vector<std::pair<ValuePtr, ValuePtr>> dict;  // Dict, in insertion order
    TensorRef tensor;                                 // Tensor, Storage

    bool isString() const { return kind == Kind::String; }
    const ValuePtr* find(const std::string& key) const;  // Dict lookup by string key
};

// Runs the pickle program; throws std::runtime_error with the reason (unsupported
// opcode or global, malformed data) for the caller to wrap with the file name.
ValuePtr unpickle(std::span<const std::byte> program);

// A short description of a value for error messages ("dict with 42 entries", "list").
std::string describe(const Value& v);

}  // namespace avvp::models::pickle
