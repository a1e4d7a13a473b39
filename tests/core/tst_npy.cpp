// .npy reader and writer: round trips, the byte layout numpy writes, every format
// variation the reader accepts and every malformed input it must refuse by name.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/npy.h"

namespace fs = std::filesystem;
using namespace avvp::core;

namespace {

class Npy : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("avvp_npy_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

// A .npy image built by hand: magic, version, header length, header text, data.
std::vector<std::byte> image(const std::string& header, const std::vector<unsigned char>& data,
                             int major = 1) {
    std::string h = header;
    h += '\n';
    std::vector<unsigned char> out = {
        0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(major), 0};
    const auto n = h.size();
    out.push_back(static_cast<unsigned char>(n & 0xff));
    out.push_back(static_cast<unsigned char>((n >> 8) & 0xff));
    if (major >= 2) {
        out.push_back(0);
        out.push_back(0);
    }
    out.insert(out.end(), h.begin(), h.end());
    out.insert(out.end(), data.begin(), data.end());
    std::vector<std::byte> b(out.size());
    std::memcpy(b.data(), out.data(), out.size());
    return b;
}

std::vector<unsigned char> floatBytes(std::initializer_list<float> v, bool big = false) {
    std::vector<unsigned char> out(v.size() * 4);
    std::size_t at = 0;
    for (float f : v) {
        std::memcpy(out.data() + at, &f, 4);
        if (big)
            std::reverse(out.begin() + static_cast<std::ptrdiff_t>(at),
                         out.begin() + static_cast<std::ptrdiff_t>(at + 4));
        at += 4;
    }
    return out;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_F(Npy, RoundTripsEveryDtype) {
    const std::vector<float> f = {1.5f, -2.0f, 3.25f, 0.0f, 1e-30f, 7.0f};
    writeNpy(dir_ / "f.npy", f, {2, 3});
    const auto a = readNpy(dir_ / "f.npy");
    EXPECT_EQ(a.type, NpyType::Float32);
    EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(a.f32, f);
    EXPECT_EQ(a.shapeString(), "(2, 3)");

    const std::vector<double> d = {0.1, 0.2, 0.3};
    writeNpy(dir_ / "d.npy", d, {3});
    const auto b = readNpy(dir_ / "d.npy");
    EXPECT_EQ(b.type, NpyType::Float64);
    EXPECT_EQ(b.f64, d);
    EXPECT_EQ(b.shapeString(), "(3,)");
    EXPECT_FLOAT_EQ(b.toFloat()[1], 0.2f);

    const std::vector<std::int64_t> i = {0, 1, 1, 0, -5, std::numeric_limits<std::int64_t>::max()};
    writeNpy(dir_ / "i.npy", i, {3, 2});
    const auto c = readNpy(dir_ / "i.npy");
    EXPECT_EQ(c.type, NpyType::Int64);
    EXPECT_EQ(c.i64, i);
    EXPECT_EQ(c.toFloat()[2], 1.0f);
}

TEST_F(Npy, WritesNumpysLayout) {
    writeNpy(dir_ / "x.npy", std::vector<float>{1.0f, 2.0f}, {1, 2});
    std::ifstream in(dir_ / "x.npy", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string all = ss.str();
    ASSERT_EQ(all.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t hlen = static_cast<unsigned char>(all[8]) |
                             (static_cast<std::size_t>(static_cast<unsigned char>(all[9])) << 8);
    EXPECT_EQ((10 + hlen) % 64, 0u) << "data must start on a 64-byte boundary";
    const std::string header = all.substr(10, hlen);
    EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", 0), 0u);
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(all.size(), 10 + hlen + 8);
}

TEST_F(Npy, EmptyAndScalarShapes) {
    writeNpy(dir_ / "e.npy", std::vector<float>{}, {0, 768});
    EXPECT_EQ(readNpy(dir_ / "e.npy").size(), 0);
    writeNpy(dir_ / "s.npy", std::vector<float>{4.0f}, {});
    const auto s = readNpy(dir_ / "s.npy");
    EXPECT_TRUE(s.shape.empty());
    EXPECT_EQ(s.f32, std::vector<float>{4.0f});
}

// The header alone gives dtype and shape (listing a feature folder reads no data), and
// still refuses files whose size does not fit the shape.
TEST_F(Npy, HeaderOnly) {
    writeNpy(dir_ / "a.npy", std::vector<float>(10 * 768, 0.5f), {10, 768});
    const auto h = readNpyHeader(dir_ / "a.npy");
    EXPECT_EQ(h.type, NpyType::Float32);
    EXPECT_EQ(h.shape, (std::vector<std::int64_t>{10, 768}));
    const auto v2 = image("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }",
                          std::vector<unsigned char>(16, 0), 2);
    std::ofstream(dir_ / "v2.npy", std::ios::binary)
        .write(reinterpret_cast<const char*>(v2.data()), static_cast<std::streamsize>(v2.size()));
    EXPECT_EQ(readNpyHeader(dir_ / "v2.npy").type, NpyType::Int64);
    fs::resize_file(dir_ / "a.npy", fs::file_size(dir_ / "a.npy") - 4);
    EXPECT_NE(errorOf([&] { readNpyHeader(dir_ / "a.npy"); }).find("truncated: shape (10, 768)"),
              std::string::npos);
    std::ofstream(dir_ / "text.npy") << "not numpy";
    EXPECT_NE(errorOf([&] { readNpyHeader(dir_ / "text.npy"); }).find("not a .npy file"),
              std::string::npos);
    EXPECT_NE(errorOf([&] { readNpyHeader(dir_ / "missing.npy"); }).find("cannot open"),
              std::string::npos);
}

TEST(NpyParse, AcceptsVersion2BigEndianAndLooseHeaders) {
    auto a = parseNpy(image("{\"descr\": \">f4\", \"fortran_order\": False, \"shape\": (2,)}",
                            floatBytes({1.0f, -3.5f}, true), 2),
                      "v2.npy");
    EXPECT_EQ(a.f32, (std::vector<float>{1.0f, -3.5f}));
    auto b = parseNpy(image("{'shape': (1L, 2L), 'fortran_order': False, 'descr': '<f4'}",
                            floatBytes({5.0f, 6.0f})),
                      "py2.npy");
    EXPECT_EQ(b.shape, (std::vector<std::int64_t>{1, 2}));
}

TEST(NpyParse, RefusesWhatItCannotRead) {
    const auto two = floatBytes({1.0f, 2.0f});
    EXPECT_NE(errorOf([&] {
                  parseNpy(image("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", two),
                           "a.npy");
              }).find("a.npy: unsupported dtype '<i4'"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  parseNpy(image("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", two),
                           "b.npy");
              }).find("Fortran-order"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  parseNpy(image("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", two),
                           "c.npy");
              }).find("truncated: shape (3,) of float32 needs 12 data bytes, the file has 8"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  parseNpy(image("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", two),
                           "d.npy");
              }).find("4 bytes after the data"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  parseNpy(image("{'descr': '<f4', 'shape': (2,), }", two), "e.npy");
              }).find("no 'fortran_order'"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  parseNpy(
                      image("{'descr': '<f4', 'fortran_order': False, 'shape': (2,-1), }", two),
                      "f.npy");
              }).find("not a non-negative integer"),
              std::string::npos);
    const std::string text = "filename\tonset\n";
    EXPECT_NE(errorOf([&] {
                  parseNpy(std::as_bytes(std::span<const char>(text.data(), text.size())), "g.npy");
              }).find("g.npy: not a .npy file"),
              std::string::npos);
    EXPECT_NE(errorOf([] { readNpy("/nonexistent/x.npy"); }).find("cannot open"),
              std::string::npos);
}

TEST(NpyChecks, ShapeAndFiniteness) {
    NpyArray a;
    a.shape = {10, 768};
    a.f32.assign(7680, 0.5f);
    EXPECT_NO_THROW(requireShape(a, {10, 768}, "x"));
    EXPECT_NO_THROW(requireShape(a, {-1, 768}, "x"));
    EXPECT_EQ(errorOf([&] {
                  requireShape(a, {64, 768}, "feat/abc.npy");
              }),
              "feat/abc.npy: shape (10, 768), expected (64, 768)");
    EXPECT_NO_THROW(requireFinite(a, "x"));
    a.f32[3 * 768 + 17] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_EQ(errorOf([&] { requireFinite(a, "v.npy"); }), "v.npy: NaN at element [3, 17]");
    a.f32[3 * 768 + 17] = 0.0f;
    a.f32[9 * 768 + 767] = -std::numeric_limits<float>::infinity();
    EXPECT_EQ(errorOf([&] { requireFinite(a, "v.npy"); }), "v.npy: Inf at element [9, 767]");
}
