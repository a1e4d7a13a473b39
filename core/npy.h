#pragma once
// NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): the feature and pseudo-label
// files of VALOR's layout. Reading accepts float32, float64 and int64 in C order (either
// byte order); anything else (other dtypes, Fortran order, a truncated or oversized data
// block, a malformed header) throws InputError naming the file and the reason.
// Writing produces version 1.0 little-endian files that numpy.load reads.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace avvp::core {

enum class NpyType { Float32, Float64, Int64 };
std::string npyTypeName(NpyType t);  // "float32", ...

struct NpyArray {
    NpyType type = NpyType::Float32;
    std::vector<std::int64_t> shape;
    // Exactly one of these holds the elements (C order), the one matching `type`.
    std::vector<float> f32;
    std::vector<double> f64;
    std::vector<std::int64_t> i64;

    std::int64_t size() const;           // number of elements (product of the shape)
    std::string shapeString() const;     // "(10, 768)"
    std::vector<float> toFloat() const;  // the elements converted to float32
};

// The dtype and shape of a `.npy` file from its header alone (cheap: for listing a feature
// folder; the data is not read, but the file size is checked against the shape, so
// truncation is caught here too). Throws InputError like readNpy.
struct NpyHeader {
    NpyType type = NpyType::Float32;
    std::vector<std::int64_t> shape;
    std::string shapeString() const;
};
NpyHeader readNpyHeader(const std::filesystem::path& file);

// Parses an in-memory `.npy` image; `name` is used in error messages.
NpyArray parseNpy(std::span<const std::byte> bytes, const std::string& name);
NpyArray readNpy(const std::filesystem::path& file);

// Throws InputError unless the array has exactly `shape` (-1 matches any extent).
void requireShape(const NpyArray& a, const std::vector<std::int64_t>& shape,
                  const std::string& name);
// Throws InputError naming the first NaN or Inf element by its index, e.g. "[3, 17]".
void requireFinite(const NpyArray& a, const std::string& name);

// Writes a C-order array; the element count must equal the product of `shape`.
void writeNpy(const std::filesystem::path& file, std::span<const float> data,
              const std::vector<std::int64_t>& shape);
void writeNpy(const std::filesystem::path& file, std::span<const double> data,
              const std::vector<std::int64_t>& shape);
void writeNpy(const std::filesystem::path& file, std::span<const std::int64_t> data,
              const std::vector<std::int64_t>& shape);

}  // namespace avvp::core
