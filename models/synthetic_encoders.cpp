// The SYNTHETIC stand-in encoders: TorchScript modules defined from C++ (no Python).
#include "models/synthetic_encoders.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "core/error.h"
#include "core/npy.h"
#include "core/rng.h"
#include "core/synth.h"
#include "core/taxonomy.h"

namespace avvp::models {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kBank = 512;  // Gaussian noise vectors per module

std::string num(double v) {
    std::ostringstream s;
    s.precision(17);
    s << v;
    auto t = s.str();
    if (t.find_first_of(".e") == std::string::npos) t += ".0";
    return t;
}

torch::Tensor floats(const std::vector<float>& v, std::vector<std::int64_t> shape) {
    return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}

// A deterministic bank of N(0, 1) vectors (K, dim) and of uniforms (K).
void registerNoise(torch::jit::Module& m, std::int64_t dim, std::uint64_t seed) {
    core::SplitMix64 rng(seed);
    std::vector<float> bank(static_cast<std::size_t>(kBank * dim)), uniform(kBank);
    for (auto& x : bank) x = static_cast<float>(rng.normal());
    for (auto& x : uniform) x = static_cast<float>(rng.uniform());
    m.register_buffer("bank", floats(bank, {kBank, dim}));
    m.register_buffer("ubank", floats(uniform, {kBank}));
    m.register_buffer("c25", torch::arange(core::kNumClasses, torch::kInt64));
    m.register_buffer("s10", torch::arange(core::kLlpSegments, torch::kInt64));
    m.register_buffer("cdim", torch::arange(dim, torch::kInt64));
}

// The generator's noise model on detected classes: `lit` (rows, 25) in {0, 1}, `seg` the
// segment (0-9) of each row, `seed` a non-negative int64 scalar drawn from the input.
std::string featuresSource(std::int64_t dim, double sigma) {
    const auto K = std::to_string(kBank), D = std::to_string(dim);
    return "def features(self, lit: Tensor, seed: Tensor, seg: Tensor) -> Tensor:\n"
           "    rows = lit.size(0)\n"
           "    present = lit.max(0)[0]\n"
           "    amp = 0.7 + 0.4 * self.ubank.index_select(0, (seed * 7 + self.c25 * 13 + 1) % " +
           K +
           ")\n"
           "    bg = self.bank.index_select(0, ((seed * 3 + 5) % " +
           K +
           ").view(1))\n"
           "    bg = bg * (0.6 / bg.norm())\n"
           "    pick = self.ubank.index_select(0, (seed * 5 + self.s10 * 17 + 101) % " +
           K +
           ") < 0.3\n"
           "    dcls = (self.ubank.index_select(0, (seed * 11 + self.s10 * 19 + 203) % " +
           K +
           ") * 25.0).long().clamp(0, 24)\n"
           "    dmask = pick & (present.index_select(0, dcls) == 0.0)\n"
           "    dvec = self.proto.index_select(0, dcls) * (0.25 * dmask.float())"
           ".unsqueeze(1)\n"
           "    ar = torch.arange(rows)\n"
           "    noise = self.bank.index_select(0, (seed * 13 + ar * 37 + 7) % " +
           K +
           ")\n"
           "    shift = (seed * 17 + ar * 53) % " +
           D +
           "\n"
           "    noise = torch.gather(noise, 1, (self.cdim.view(1, " +
           D + ") + shift.view(rows, 1)) % " + D +
           ")\n"
           "    out = torch.matmul(lit * amp.view(1, 25), self.proto) + bg\n"
           "    return out + dvec.index_select(0, seg) + " +
           num(sigma) + " * noise\n";
}

void checkPrototypes(const std::vector<float>& p, std::int64_t dim, const char* what) {
    if (static_cast<std::int64_t>(p.size()) != core::kNumClasses * dim)
        throw std::invalid_argument(std::string("writeSyntheticEncoders: ") + what +
                                    " prototypes must be (25, " + std::to_string(dim) + ")");
}

void save(torch::jit::Module& m, const fs::path& file) {
    try {
        m.save(file.string());
    } catch (const c10::Error& e) {
        std::string what = e.what();
        throw core::InputError(file.string(), 0,
                               "cannot write: " + what.substr(0, what.find('\n')));
    }
}

void writeImageModule(const fs::path& file, const SyntheticEncoderSpec& spec, std::int64_t dim,
                      int framesPerSecond) {
    checkPrototypes(spec.visualPrototypes, dim, "visual");
    const int S = spec.imageSize;
    // Flat pixel indices of a 3 x 3 patch at every cell centre of the size x size crop.
    std::vector<std::int64_t> idx;
    for (int c = 0; c < core::kNumClasses; ++c) {
        const auto cell = core::synthStripCell(c);
        const int cx = static_cast<int>(cell.cx() * S), cy = static_cast<int>(cell.cy() * S);
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
                idx.push_back(static_cast<std::int64_t>(std::clamp(cy + dy, 0, S - 1)) * S +
                              std::clamp(cx + dx, 0, S - 1));
    }
    torch::jit::Module m("SyntheticImageEncoder");
    m.register_buffer("mean", torch::tensor({0.48145466f, 0.4578275f, 0.40821073f}));
    m.register_buffer("std", torch::tensor({0.26862954f, 0.26130258f, 0.27577711f}));
    m.register_buffer("idx", torch::tensor(idx, torch::kInt64));
    m.register_buffer("proto", floats(spec.visualPrototypes, {core::kNumClasses, dim}));
    registerNoise(m, dim, 0x5157'0001);
    const double sigma = spec.noise / std::sqrt(static_cast<double>(dim));
    const auto SS = std::to_string(S * S);
    m.define(featuresSource(dim, sigma) +
             "def forward(self, x):\n"
             "    n = x.size(0)\n"
             "    px = x * self.std.view(1, 3, 1, 1) + self.mean.view(1, 3, 1, 1)\n"
             "    v = px.reshape(n, 3, " +
             SS + ").index_select(2, self.idx).view(n, 3, 25, 9).mean(3)\n" +
             "    lit = (v.max(1)[0] > " + num(spec.cellThreshold) +
             ").float()\n"
             "    seed = (px[:, :, ::7, ::7].sum() * 4096.0).abs().long()\n"
             "    seg = torch.div(torch.arange(n) * 10, n, "
             "rounding_mode='floor')\n"
             "    return self.features(lit, seed, seg)\n");
    (void)framesPerSecond;
    save(m, file);
}

void writeAudioModule(const fs::path& file, const SyntheticEncoderSpec& spec,
                      core::FeatureShape shape, int columns) {
    checkPrototypes(spec.audioPrototypes, shape.dim, "audio");
    const std::int64_t samples = 10LL * spec.sampleRate;
    const std::int64_t L = samples / columns;
    // Hann-windowed DFT basis at every class pitch: (L, 25) cos and sin.
    std::vector<float> win(static_cast<std::size_t>(L)), cosb(static_cast<std::size_t>(L * 25)),
        sinb(static_cast<std::size_t>(L * 25));
    double wsum = 0;
    for (std::int64_t n = 0; n < L; ++n) {
        const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(n) /
                                              static_cast<double>(L));
        win[static_cast<std::size_t>(n)] = static_cast<float>(w);
        wsum += w;
        for (int c = 0; c < core::kNumClasses; ++c) {
            const double ph = 2 * std::numbers::pi * core::synthClassPitch(c) *
                              static_cast<double>(n) / spec.sampleRate;
            cosb[static_cast<std::size_t>(n * 25 + c)] = static_cast<float>(std::cos(ph));
            sinb[static_cast<std::size_t>(n * 25 + c)] = static_cast<float>(std::sin(ph));
        }
    }
    // Token k of the map sits in time column k % columns; its segment is column * 10 / columns.
    std::vector<std::int64_t> tokChunk, tokSeg;
    for (std::int64_t k = 0; k < shape.rows; ++k) {
        tokChunk.push_back(k % columns);
        tokSeg.push_back((k % columns) * core::kLlpSegments / columns);
    }
    torch::jit::Module m("SyntheticAudioEncoder");
    m.register_buffer("win", floats(win, {L}));
    m.register_buffer("cosb", floats(cosb, {L, 25}));
    m.register_buffer("sinb", floats(sinb, {L, 25}));
    m.register_buffer("tokChunk", torch::tensor(tokChunk, torch::kInt64));
    m.register_buffer("tokSeg", torch::tensor(tokSeg, torch::kInt64));
    m.register_buffer("proto", floats(spec.audioPrototypes, {core::kNumClasses, shape.dim}));
    registerNoise(m, shape.dim, 0x5157'0002);
    const double sigma = spec.noise / std::sqrt(static_cast<double>(shape.dim));
    m.define(featuresSource(shape.dim, sigma) +
             "def forward(self, x):\n"
             "    s = x.reshape(-1)\n"
             "    ch = s[:" +
             std::to_string(columns * L) + "].view(" + std::to_string(columns) + ", " +
             std::to_string(L) +
             ") * self.win.view(1, -1)\n"
             "    re = torch.matmul(ch, self.cosb)\n"
             "    im = torch.matmul(ch, self.sinb)\n"
             "    amp = torch.sqrt(re * re + im * im) * " +
             num(2.0 / wsum) +
             "\n"
             "    lit = (amp > " +
             num(spec.toneThreshold) +
             ").float().index_select(0, self.tokChunk)\n"
             "    seed = (s.abs().sum() * 65536.0).long()\n"
             "    return self.features(lit, seed, self.tokSeg)\n");
    save(m, file);
}

}  // namespace

void writeSyntheticEncoders(const fs::path& folder, const SyntheticEncoderSpec& spec) {
    if (spec.imageSize < 32 || spec.imageSize > 1024)
        throw std::invalid_argument("writeSyntheticEncoders: image size must be 32 to 1024");
    if (spec.sampleRate < 14000 || spec.sampleRate % 100 != 0)
        throw std::invalid_argument(
            "writeSyntheticEncoders: sample rate must be a multiple of 100 of at least 14000 "
            "(the highest class tone is 6.1 kHz)");
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw core::InputError(folder.string(), 0, "cannot create: " + ec.message());
    torch::NoGradGuard noGrad;

    const bool clip = spec.visual == core::VisualFeature::Clip;
    const auto vs = core::standardShape(spec.visual);
    const int fps = clip ? 1 : core::kResnetFramesPerSegment;
    writeImageModule(folder / "synthetic_image.pt", spec, vs.dim, fps);

    const bool clap = spec.audio == core::AudioFeature::ClapTokens;
    const auto as = core::standardShape(spec.audio);
    const int columns = clap ? 32 : 10;
    writeAudioModule(folder / "synthetic_audio.pt", spec, as, columns);

    const std::string origin = spec.origin.empty() ? "" : " (" + spec.origin + ")";
    const json manifest = {
        {"format", "avvp-encoders"},
        {"version", 1},
        {"exported_by", "avvp synth: SYNTHETIC stand-in encoders"},
        {"comment",
         "SYNTHETIC: not CLIP or CLAP. These modules read the class strip and class tones of "
         "rendered SYNTHETIC label videos and emit the synthetic dataset's class-"
         "prototype features" +
             origin + "; on any other video their output means nothing."},
        {"image",
         {{"name", std::string("SYNTHETIC stand-in image encoder (reads the class strip; not "
                               "CLIP), ") +
                       (clip ? "CLIP layout (10, 768)" : "ResNet layout (80, 2048)")},
          {"file", "synthetic_image.pt"},
          {"input",
           {{"size", spec.imageSize},
            {"mean", {0.48145466, 0.4578275, 0.40821073}},
            {"std", {0.26862954, 0.26130258, 0.27577711}},
            {"frames_per_second", fps}}},
          {"output", {{"dim", vs.dim}, {"l2_normalize", clip}}},
          {"layout", clip ? "clip" : "resnet"},
          {"folder", core::FeatureFolders::visual},
          {"batch", 10 * fps}}},
        {"audio",
         {{"name", std::string("SYNTHETIC stand-in audio encoder (hears the class tones; not "
                               "CLAP), ") +
                       (clap ? "CLAP token layout (64, 768)" : "VGGish layout (10, 128)")},
          {"file", "synthetic_audio.pt"},
          {"input", {{"sample_rate", spec.sampleRate}, {"seconds", 10}}},
          {"output", {{"shape", {as.rows, as.dim}}}},
          {"layout", clap ? "clap-tokens" : "vggish"},
          {"folder", core::FeatureFolders::audio}}}};
    {
        std::ofstream out(folder / "manifest.json", std::ios::binary | std::ios::trunc);
        out << manifest.dump(2) << "\n";
        if (!out) throw core::InputError((folder / "manifest.json").string(), 0, "write failed");
    }
    std::ofstream r(folder / "README.md", std::ios::binary | std::ios::trunc);
    r << "# SYNTHETIC stand-in encoders (avvp synth)\n\n"
      << "Not CLIP, not CLAP: TorchScript modules in the encoder folder layout (`manifest.json`) "
         "that read a rendered SYNTHETIC label video and return the features of the "
         "synthetic dataset"
      << origin
      << ": the image module reads the lit cells of the class strip, the audio module "
         "hears the class tones, and both emit the class prototypes plus the generator's "
         "noise (noise "
      << spec.noise << ").\n\n"
      << "Use them with a model trained on the same synthetic dataset (the prototypes are "
         "that dataset's): name this folder as the encoders of feature extraction (`avvp "
         "features`), or "
         "choose this folder as the encoders folder in AVVP Studio. On any other video their "
         "output means nothing. There is no motion encoder: a model that runs on extracted "
         "features must be trained without motion features.\n";
    if (!r) throw core::InputError((folder / "README.md").string(), 0, "write failed");
}

SyntheticEncoderSpec syntheticEncoderSpec(const fs::path& dataset) {
    SyntheticEncoderSpec spec;
    const auto readProto = [&](const char* name, std::int64_t& dim) {
        const auto file = dataset / "class_emb" / name;
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            throw core::InputError(file.string(), 0,
                                   "missing: not a dataset folder written by avvp synth");
        const auto a = core::readNpy(file);
        if (a.shape.size() != 2 || a.shape[0] != core::kNumClasses)
            throw core::InputError(file.string(), 0,
                                   "must hold (25, dim) class prototypes, not " + a.shapeString());
        dim = a.shape[1];
        return a.toFloat();
    };
    std::int64_t ad = 0, vd = 0;
    spec.audioPrototypes = readProto("audio.npy", ad);
    spec.visualPrototypes = readProto("visual.npy", vd);
    spec.audio =
        ad == core::kVggishShape.dim ? core::AudioFeature::Vggish : core::AudioFeature::ClapTokens;
    spec.visual =
        vd == core::kResnetShape.dim ? core::VisualFeature::Resnet : core::VisualFeature::Clip;
    const auto timeline = dataset / "timeline.json";
    std::ifstream in(timeline, std::ios::binary);
    json doc;
    try {
        if (in) doc = json::parse(in);
    } catch (const json::exception& e) {
        throw core::InputError(timeline.string(), 0, std::string("not valid JSON: ") + e.what());
    }
    if (doc.is_object()) {
        if (doc.contains("noise") && doc["noise"].is_number())
            spec.noise = doc["noise"].get<double>();
        if (doc.contains("audio_feature") && doc["audio_feature"].is_string())
            if (auto k = core::audioFeatureFromName(doc["audio_feature"].get<std::string>()))
                spec.audio = *k;
        if (doc.contains("visual_feature") && doc["visual_feature"].is_string())
            if (auto k = core::visualFeatureFromName(doc["visual_feature"].get<std::string>()))
                spec.visual = *k;
        if (doc.contains("seed") && doc["seed"].is_number_integer())
            spec.origin =
                "the synthetic dataset of seed " + std::to_string(doc["seed"].get<std::uint64_t>());
    }
    if (core::standardShape(spec.audio).dim != ad)
        throw core::InputError((dataset / "class_emb" / "audio.npy").string(), 0,
                               "prototype width " + std::to_string(ad) + " does not fit the " +
                                   std::string(core::featureName(spec.audio)) + " layout");
    if (core::standardShape(spec.visual).dim != vd)
        throw core::InputError((dataset / "class_emb" / "visual.npy").string(), 0,
                               "prototype width " + std::to_string(vd) + " does not fit the " +
                                   std::string(core::featureName(spec.visual)) + " layout");
    return spec;
}

}  // namespace avvp::models
