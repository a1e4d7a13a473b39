#include "core/npy.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/output_file.h"
#include "core/quote.h"

namespace avvp::core {

namespace {

static_assert(std::endian::native == std::endian::little, "the .npy code assumes little endian");

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

struct Header {
    std::string descr;
    bool fortran = false;
    bool haveFortran = false;
    std::optional<std::vector<std::int64_t>> shape;
};

// A parser for the Python dict literal of the header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (10, 768), }
class HeaderParser {
  public:
    HeaderParser(std::string_view text, const std::string& file) : s_(text), file_(file) {}

    Header parse() {
        Header h;
        expect('{');
        for (;;) {
            skipSpace();
            if (peek() == '}') break;
            const std::string key = quoted();
            expect(':');
            skipSpace();
            if (key == "descr") {
                h.descr = quoted();
            } else if (key == "fortran_order") {
                h.fortran = boolean();
                h.haveFortran = true;
            } else if (key == "shape") {
                h.shape = tuple();
            } else {
                fail("unexpected header key " + quote(key));
            }
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == '}') break;
            fail("malformed header dictionary");
        }
        if (h.descr.empty()) fail("the header has no 'descr'");
        if (!h.haveFortran) fail("the header has no 'fortran_order'");
        if (!h.shape) fail("the header has no 'shape'");
        return h;
    }

  private:
    [[noreturn]] void fail(const std::string& why) const {
        throw InputError(file_, 0, "not a valid .npy file: " + why);
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void skipSpace() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n'))
            ++pos_;
    }
    void expect(char c) {
        skipSpace();
        if (peek() != c) fail(std::string("expected '") + c + "' in the header");
        ++pos_;
    }
    std::string quoted() {
        skipSpace();
        const char q = peek();
        if (q != '\'' && q != '"') fail("expected a quoted string in the header");
        const auto end = s_.find(q, pos_ + 1);
        if (end == std::string_view::npos) fail("unterminated string in the header");
        std::string out(s_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return out;
    }
    bool boolean() {
        if (s_.substr(pos_, 4) == "True") {
            pos_ += 4;
            return true;
        }
        if (s_.substr(pos_, 5) == "False") {
            pos_ += 5;
            return false;
        }
        fail("'fortran_order' is neither True nor False");
    }
    std::vector<std::int64_t> tuple() {
        expect('(');
        std::vector<std::int64_t> dims;
        for (;;) {
            skipSpace();
            if (peek() == ')') {
                ++pos_;
                return dims;
            }
            if (peek() < '0' || peek() > '9') fail("a shape extent is not a non-negative integer");
            std::int64_t v = 0;
            while (peek() >= '0' && peek() <= '9') {
                if (v > (std::int64_t{1} << 48)) fail("a shape extent is too large");
                v = v * 10 + (peek() - '0');
                ++pos_;
            }
            if (peek() == 'L') ++pos_;  // Python 2 long literal
            dims.push_back(v);
            skipSpace();
            if (peek() == ',')
                ++pos_;
            else if (peek() != ')')
                fail("malformed shape tuple");
        }
    }

    std::string_view s_;
    const std::string& file_;
    std::size_t pos_ = 0;
};

template <typename T>
void fillFrom(std::vector<T>& out, const std::byte* p, std::size_t n, bool swap) {
    out.resize(n);
    if (n) std::memcpy(out.data(), p, n * sizeof(T));
    if (swap) {
        for (auto& v : out) {
            auto* b = reinterpret_cast<unsigned char*>(&v);
            std::reverse(b, b + sizeof(T));
        }
    }
}

std::string joinShape(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

std::int64_t product(const std::vector<std::int64_t>& shape) {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

template <typename T>
void writeImpl(const std::filesystem::path& file, std::span<const T> data,
               const std::vector<std::int64_t>& shape, const char* descr) {
    if (static_cast<std::int64_t>(data.size()) != product(shape))
        throw std::invalid_argument("writeNpy: " + std::to_string(data.size()) +
                                    " elements for shape " + joinShape(shape));
    std::string dict = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + joinShape(shape) + ", }";
    // numpy pads the header with spaces so the data starts on a 64-byte boundary.
    const std::size_t unpadded = kMagicLen + 2 + 2 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    // Whole or not at all: a temporary beside the target, flushed, synced and renamed.
    OutputFile output(file);
    auto& out = output.stream();
    const auto hlen = static_cast<std::uint16_t>(dict.size());
    const char version[2] = {1, 0};
    const char len[2] = {static_cast<char>(hlen & 0xff), static_cast<char>(hlen >> 8)};
    out.write(kMagic, kMagicLen);
    out.write(version, 2);
    out.write(len, 2);
    out.write(dict.data(), static_cast<std::streamsize>(dict.size()));
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size_bytes()));
    output.commit();
}

}  // namespace

std::string npyTypeName(NpyType t) {
    switch (t) {
        case NpyType::Float32:
            return "float32";
        case NpyType::Float64:
            return "float64";
        case NpyType::Int64:
            return "int64";
    }
    return "?";
}

std::int64_t NpyArray::size() const {
    return product(shape);
}

std::string NpyArray::shapeString() const {
    return joinShape(shape);
}

std::vector<float> NpyArray::toFloat() const {
    switch (type) {
        case NpyType::Float32:
            return f32;
        case NpyType::Float64:
            return {f64.begin(), f64.end()};
        case NpyType::Int64: {
            std::vector<float> out(i64.size());
            std::transform(i64.begin(), i64.end(), out.begin(),
                           [](std::int64_t v) { return static_cast<float>(v); });
            return out;
        }
    }
    return {};
}

namespace {

struct ParsedHeader {
    NpyType type = NpyType::Float32;
    std::vector<std::int64_t> shape;
    std::size_t width = 0;
    bool swap = false;
    std::size_t dataStart = 0;
};

// The total header length (magic to data) from the first 12 bytes, or 0 when they are not
// an .npy preamble.
std::size_t headerEnd(std::span<const std::byte> bytes) {
    if (bytes.size() < kMagicLen + 4 || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0) return 0;
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    if (u[6] == 1) return 10 + (u[8] | (std::size_t{u[9]} << 8));
    if ((u[6] == 2 || u[6] == 3) && bytes.size() >= 12)
        return 12 + (u[8] | (std::size_t{u[9]} << 8) | (std::size_t{u[10]} << 16) |
                     (std::size_t{u[11]} << 24));
    return 0;
}

// Parses magic, version and header dictionary from the first bytes of a file (`bytes` may
// hold just the header).
ParsedHeader parseHeader(std::span<const std::byte> bytes, const std::string& name) {
    auto fail = [&](const std::string& why) -> void { throw InputError(name, 0, why); };
    if (bytes.size() < kMagicLen + 4 || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0)
        fail("not a .npy file (no \\x93NUMPY magic)");
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
    const int major = u[6];
    std::size_t hlen = 0, hstart = 0;
    if (major == 1) {
        hlen = u[8] | (std::size_t{u[9]} << 8);
        hstart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) fail("truncated .npy header");
        hlen = u[8] | (std::size_t{u[9]} << 8) | (std::size_t{u[10]} << 16) |
               (std::size_t{u[11]} << 24);
        hstart = 12;
    } else {
        fail("unsupported .npy format version " + std::to_string(major) + "." +
             std::to_string(u[7]));
    }
    if (hstart + hlen > bytes.size()) fail("truncated .npy header");
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + hstart, hlen);
    const Header h = HeaderParser(text, name).parse();
    if (h.fortran) fail("Fortran-order array; save it in C order (numpy.ascontiguousarray) first");

    ParsedHeader p;
    p.shape = *h.shape;
    // The element count and the byte count must not wrap: a shape such as
    // (4294967296, 4294967296, 1) multiplies to 0 in 64 bits.
    std::uint64_t elements = 1;
    for (const auto d : p.shape) {
        if (d != 0 && elements > (std::uint64_t{1} << 60) / static_cast<std::uint64_t>(d))
            fail("not a valid .npy file: shape " + joinShape(p.shape) +
                 " has too many elements (more than 2^60)");
        elements *= static_cast<std::uint64_t>(d);
    }
    const char order = h.descr.empty() ? '?' : h.descr[0];
    const std::string kind = (order == '<' || order == '>' || order == '|' || order == '=')
                                 ? h.descr.substr(1)
                                 : h.descr;
    if (kind == "f4") {
        p.type = NpyType::Float32;
        p.width = 4;
    } else if (kind == "f8") {
        p.type = NpyType::Float64;
        p.width = 8;
    } else if (kind == "i8") {
        p.type = NpyType::Int64;
        p.width = 8;
    } else {
        fail("unsupported dtype " + quote(h.descr) +
             " (float32, float64 and int64 are supported; convert with .astype)");
    }
    p.swap = order == '>';
    p.dataStart = hstart + hlen;
    return p;
}

// Refuses a data block that does not hold exactly the elements of the shape.
void checkDataSize(const ParsedHeader& p, std::size_t have, const std::string& name) {
    const auto n = static_cast<std::size_t>(product(p.shape));
    if (have < n * p.width)
        throw InputError(name, 0,
                         "truncated: shape " + joinShape(p.shape) + " of " + npyTypeName(p.type) +
                             " needs " + std::to_string(n * p.width) +
                             " data bytes, the file has " + std::to_string(have));
    if (have > n * p.width)
        throw InputError(name, 0,
                         std::to_string(have - n * p.width) + " bytes after the data of shape " +
                             joinShape(p.shape));
}

}  // namespace

std::string NpyHeader::shapeString() const {
    return joinShape(shape);
}

namespace {

// A folder opens as a stream on Linux (and reports a size of 2^63): refuse it by name.
void requireRegularFile(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw InputError(file.string(), 0, "is a folder, not a .npy file");
}

}  // namespace

NpyHeader readNpyHeader(const std::filesystem::path& file) {
    requireRegularFile(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string(), 0, "cannot open (missing or unreadable)");
    // The fixed preamble first, then exactly the header it announces.
    std::vector<char> buf(12);
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    const auto end = headerEnd(std::as_bytes(std::span<const char>(buf)));
    if (end > buf.size()) {
        const auto have = buf.size();
        buf.resize(end);
        in.read(buf.data() + have, static_cast<std::streamsize>(end - have));
        buf.resize(have + static_cast<std::size_t>(in.gcount()));
    }
    const auto h = parseHeader(std::as_bytes(std::span<const char>(buf)), file.string());
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) throw InputError(file.string(), 0, "cannot read its size: " + ec.message());
    checkDataSize(h, static_cast<std::size_t>(size) - h.dataStart, file.string());
    return {h.type, h.shape};
}

NpyArray parseNpy(std::span<const std::byte> bytes, const std::string& name) {
    const ParsedHeader h = parseHeader(bytes, name);
    checkDataSize(h, bytes.size() - h.dataStart, name);
    NpyArray a;
    a.type = h.type;
    a.shape = h.shape;
    const bool swap = h.swap;
    const auto n = static_cast<std::size_t>(a.size());
    const std::byte* p = bytes.data() + h.dataStart;
    switch (a.type) {
        case NpyType::Float32:
            fillFrom(a.f32, p, n, swap);
            break;
        case NpyType::Float64:
            fillFrom(a.f64, p, n, swap);
            break;
        case NpyType::Int64:
            fillFrom(a.i64, p, n, swap);
            break;
    }
    return a;
}

NpyArray readNpy(const std::filesystem::path& file) {
    requireRegularFile(file);
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) throw InputError(file.string(), 0, "cannot open (missing or unreadable)");
    const auto size = static_cast<std::streamoff>(in.tellg());
    if (size < 0) throw InputError(file.string(), 0, "cannot read its size");
    std::vector<char> buf(static_cast<std::size_t>(size));
    in.seekg(0);
    if (!in.read(buf.data(), static_cast<std::streamsize>(buf.size())))
        throw InputError(file.string(), 0, "read failed");
    return parseNpy(std::as_bytes(std::span<const char>(buf)), file.string());
}

void requireShape(const NpyArray& a, const std::vector<std::int64_t>& shape,
                  const std::string& name) {
    bool ok = a.shape.size() == shape.size();
    for (std::size_t i = 0; ok && i < shape.size(); ++i)
        ok = shape[i] < 0 || shape[i] == a.shape[i];
    if (!ok) {
        std::string want = "(";
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (i) want += ", ";
            want += shape[i] < 0 ? std::string("*") : std::to_string(shape[i]);
        }
        want += shape.size() == 1 ? ",)" : ")";
        throw InputError(name, 0, "shape " + a.shapeString() + ", expected " + want);
    }
}

void requireFinite(const NpyArray& a, const std::string& name) {
    auto report = [&](std::size_t flat, double v) {
        std::vector<std::int64_t> idx(a.shape.size());
        auto rest = static_cast<std::int64_t>(flat);
        for (std::size_t d = a.shape.size(); d-- > 0;) {
            idx[d] = a.shape[d] ? rest % a.shape[d] : 0;
            rest = a.shape[d] ? rest / a.shape[d] : 0;
        }
        std::string at = "[";
        for (std::size_t i = 0; i < idx.size(); ++i) at += (i ? ", " : "") + std::to_string(idx[i]);
        throw InputError(name, 0,
                         std::string(std::isnan(v) ? "NaN" : "Inf") + " at element " + at + "]");
    };
    if (a.type == NpyType::Float32) {
        for (std::size_t i = 0; i < a.f32.size(); ++i)
            if (!std::isfinite(a.f32[i])) report(i, a.f32[i]);
    } else if (a.type == NpyType::Float64) {
        for (std::size_t i = 0; i < a.f64.size(); ++i)
            if (!std::isfinite(a.f64[i])) report(i, a.f64[i]);
    }
}

void writeNpy(const std::filesystem::path& file, std::span<const float> data,
              const std::vector<std::int64_t>& shape) {
    writeImpl(file, data, shape, "<f4");
}
void writeNpy(const std::filesystem::path& file, std::span<const double> data,
              const std::vector<std::int64_t>& shape) {
    writeImpl(file, data, shape, "<f8");
}
void writeNpy(const std::filesystem::path& file, std::span<const std::int64_t> data,
              const std::vector<std::int64_t>& shape) {
    writeImpl(file, data, shape, "<i8");
}

}  // namespace avvp::core
