// The encoder folder's manifest.json: parsing and checks (no LibTorch here).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"
#include "core/quote.h"
#include "models/encoders.h"

namespace avvp::models {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class Reader {
  public:
    explicit Reader(fs::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
        throw core::InputError(file_.string(), 0, field + ": " + reason);
    }

    const json& member(const json& obj, const std::string& path, const char* key,
                       bool required) const {
        static const json null;
        if (!obj.contains(key)) {
            if (required) fail(path + key, "missing");
            return null;
        }
        return obj.at(key);
    }

    std::string string(const json& obj, const std::string& path, const char* key,
                       const std::string& fallback, bool required = false) const {
        const auto& v = member(obj, path, key, required);
        if (v.is_null()) return fallback;
        if (!v.is_string()) fail(path + key, "must be a string");
        return v.get<std::string>();
    }

    double number(const json& obj, const std::string& path, const char* key, double fallback,
                  bool required = false) const {
        const auto& v = member(obj, path, key, required);
        if (v.is_null()) return fallback;
        if (!v.is_number()) fail(path + key, "must be a number");
        const double d = v.get<double>();
        if (!std::isfinite(d)) fail(path + key, "must be finite");
        return d;
    }

    std::int64_t positiveInt(const json& obj, const std::string& path, const char* key,
                             std::int64_t fallback, bool required = false,
                             std::int64_t max = 1 << 20) const {
        const auto& v = member(obj, path, key, required);
        if (v.is_null()) return fallback;
        if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > max)
            fail(path + key, "must be an integer from 1 to " + std::to_string(max));
        return v.get<std::int64_t>();
    }

    bool boolean(const json& obj, const std::string& path, const char* key, bool fallback) const {
        const auto& v = member(obj, path, key, false);
        if (v.is_null()) return fallback;
        if (!v.is_boolean()) fail(path + key, "must be true or false");
        return v.get<bool>();
    }

    std::array<float, 3> triple(const json& obj, const std::string& path, const char* key,
                                std::array<float, 3> fallback, bool positive) const {
        const auto& v = member(obj, path, key, false);
        if (v.is_null()) return fallback;
        if (!v.is_array() || v.size() != 3)
            fail(path + key, "must be a list of 3 numbers (R, G, B)");
        std::array<float, 3> out{};
        for (std::size_t i = 0; i < 3; ++i) {
            if (!v[i].is_number()) fail(path + key, "must be a list of 3 numbers (R, G, B)");
            out[i] = v[i].get<float>();
            if (!std::isfinite(out[i]) || (positive && out[i] <= 0))
                fail(path + key, positive ? "values must be positive" : "values must be finite");
        }
        return out;
    }

    const json& object(const json& obj, const std::string& path, const char* key) const {
        const auto& v = member(obj, path, key, false);
        if (!v.is_null() && !v.is_object()) fail(path + key, "must be an object");
        return v;
    }

    fs::path moduleFile(const json& obj, const std::string& path, const fs::path& folder) const {
        const auto name = string(obj, path, "file", "", true);
        if (name.empty()) fail(path + "file", "must name a TorchScript file");
        const auto p = fs::path(name).is_absolute() ? fs::path(name) : folder / name;
        std::error_code ec;
        if (!fs::is_regular_file(p, ec))
            fail(path + "file", "no such file: " + core::quote(p.string()));
        return p;
    }

    void knownKeys(const json& obj, const std::string& path,
                   std::initializer_list<const char*> keys) const {
        for (const auto& [k, v] : obj.items()) {
            bool ok = false;
            for (const char* known : keys) ok = ok || k == known;
            if (!ok) fail(fieldName(path + k), "unknown field");
        }
    }

  private:
    // A field path as written, or quoted when it holds what a message must not echo raw
    // (a key read from the file with control characters, or a long one).
    static std::string fieldName(const std::string& path) {
        auto q = core::quote(path);
        return q == "'" + path + "'" ? path : q;
    }

    fs::path file_;
};

std::string folderName(const Reader& r, const json& obj, const std::string& path,
                       const std::string& fallback) {
    const auto f = r.string(obj, path, "folder", fallback);
    if (f.empty() || f.find('/') != std::string::npos || f == "." || f == "..")
        r.fail(path + "folder", "must be a plain folder name");
    return f;
}

}  // namespace

std::int64_t AudioEncoderSpec::samples() const {
    return static_cast<std::int64_t>(std::llround(seconds * sampleRate));
}

std::int64_t AudioEncoderSpec::outputSize() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

EncoderManifest readEncoderManifest(const fs::path& folder) {
    const auto file = folder / "manifest.json";
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw core::InputError(folder.string(), 0, "no such encoder folder");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw core::InputError(file.string(), 0, "cannot read the encoder manifest");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        const auto upto = std::min<std::size_t>(e.byte, text.size());
        const long line =
            1 + static_cast<long>(std::count(
                    text.begin(), text.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
        std::string what = e.what();
        if (const auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
        throw core::InputError(file.string(), line, "not valid JSON: " + core::oneLine(what));
    } catch (const json::exception& e) {
        // out_of_range.406, "number overflow parsing '1e400'": bad input as well.
        std::string what = e.what();
        if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        throw core::InputError(file.string(), 0, "not valid JSON: " + core::oneLine(what));
    }
    const Reader r(file);
    if (!root.is_object()) r.fail("(top level)", "must be a JSON object");
    r.knownKeys(root, "", {"format", "version", "image", "audio", "comment", "exported_by"});
    if (r.string(root, "", "format", "", true) != "avvp-encoders")
        r.fail("format", "must be \"avvp-encoders\"");
    if (r.positiveInt(root, "", "version", 1, true) != 1)
        r.fail("version", "only version 1 is known");

    EncoderManifest m;
    m.folder = folder;
    if (const auto& img = r.object(root, "", "image"); !img.is_null()) {
        r.knownKeys(img, "image.",
                    {"name", "file", "input", "output", "layout", "folder", "batch"});
        ImageEncoderSpec s;
        s.name = r.string(img, "image.", "name", "image encoder");
        s.file = r.moduleFile(img, "image.", folder);
        const auto& input = r.object(img, "image.", "input");
        if (input.is_null()) r.fail("image.input", "missing");
        r.knownKeys(input, "image.input.", {"size", "mean", "std", "frames_per_second"});
        s.size = static_cast<int>(r.positiveInt(input, "image.input.", "size", 224, true, 4096));
        s.mean = r.triple(input, "image.input.", "mean", s.mean, false);
        s.std = r.triple(input, "image.input.", "std", s.std, true);
        s.framesPerSecond = static_cast<int>(
            r.positiveInt(input, "image.input.", "frames_per_second", 1, false, 60));
        const auto& output = r.object(img, "image.", "output");
        if (output.is_null()) r.fail("image.output", "missing");
        r.knownKeys(output, "image.output.", {"dim", "l2_normalize"});
        s.dim = r.positiveInt(output, "image.output.", "dim", 0, true);
        s.l2Normalize = r.boolean(output, "image.output.", "l2_normalize", false);
        s.layout = r.string(img, "image.", "layout", "clip");
        s.folder = folderName(r, img, "image.", "visual");
        s.batch = static_cast<int>(r.positiveInt(img, "image.", "batch", 10, false, 4096));
        m.image = s;
    }
    if (const auto& aud = r.object(root, "", "audio"); !aud.is_null()) {
        r.knownKeys(aud, "audio.", {"name", "file", "input", "output", "layout", "folder"});
        AudioEncoderSpec s;
        s.name = r.string(aud, "audio.", "name", "audio encoder");
        s.file = r.moduleFile(aud, "audio.", folder);
        const auto& input = r.object(aud, "audio.", "input");
        if (input.is_null()) r.fail("audio.input", "missing");
        r.knownKeys(input, "audio.input.", {"sample_rate", "seconds"});
        s.sampleRate = static_cast<int>(
            r.positiveInt(input, "audio.input.", "sample_rate", 48000, true, 384000));
        s.seconds = r.number(input, "audio.input.", "seconds", 10.0, true);
        if (!(s.seconds > 0 && s.seconds <= 600))
            r.fail("audio.input.seconds", "must be in (0, 600]");
        const auto& output = r.object(aud, "audio.", "output");
        if (output.is_null()) r.fail("audio.output", "missing");
        r.knownKeys(output, "audio.output.", {"shape"});
        const auto& shape = r.member(output, "audio.output.", "shape", true);
        if (!shape.is_array() || shape.empty() || shape.size() > 4)
            r.fail("audio.output.shape", "must be a list of 1 to 4 positive integers");
        s.shape.clear();
        for (const auto& d : shape) {
            if (!d.is_number_integer() || d.get<std::int64_t>() < 1 ||
                d.get<std::int64_t>() > (1 << 20))
                r.fail("audio.output.shape", "must be a list of 1 to 4 positive integers");
            s.shape.push_back(d.get<std::int64_t>());
        }
        // outputSize() multiplies the extents: bound the product (a window's floats).
        constexpr std::int64_t kMaxOutput = std::int64_t{1} << 24;
        std::int64_t n = 1;
        for (const auto d : s.shape)
            if ((n *= d) > kMaxOutput)
                r.fail("audio.output.shape",
                       "more than " + std::to_string(kMaxOutput) + " values per window");
        s.layout = r.string(aud, "audio.", "layout", "clap-tokens");
        s.folder = folderName(r, aud, "audio.", "audio");
        m.audio = s;
    }
    if (!m.image && !m.audio) r.fail("(top level)", "names neither an image nor an audio encoder");
    if (m.image && m.audio && m.image->folder == m.audio->folder)
        r.fail("audio.folder", "must differ from image.folder");
    return m;
}

}  // namespace avvp::models
