#include "tests/models/test_encoders.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace avvp::test {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void writeManifest(const fs::path& folder, const json& image, const json& audio) {
    json m = {{"format", "avvp-encoders"}, {"version", 1}};
    if (!image.is_null()) m["image"] = image;
    if (!audio.is_null()) m["audio"] = audio;
    std::ofstream(folder / "manifest.json") << m.dump(2) << "\n";
}

json imageEntry(const std::string& name, int size, std::int64_t dim, int fps, bool l2, int batch) {
    return {{"name", name},
            {"file", "image.pt"},
            {"input",
             {{"size", size},
              {"mean", {0.48145466, 0.4578275, 0.40821073}},
              {"std", {0.26862954, 0.26130258, 0.27577711}},
              {"frames_per_second", fps}}},
            {"output", {{"dim", dim}, {"l2_normalize", l2}}},
            {"layout", fps == 1 ? "clip" : "resnet"},
            {"folder", "visual"},
            {"batch", batch}};
}

json audioEntry(const std::string& name, int rate, double seconds, std::int64_t tokens,
                std::int64_t width) {
    return {{"name", name},
            {"file", "audio.pt"},
            {"input", {{"sample_rate", rate}, {"seconds", seconds}}},
            {"output", {{"shape", {tokens, width}}}},
            {"layout", "clap-tokens"},
            {"folder", "audio"}};
}

}  // namespace

void writeTinyEncoders(const fs::path& folder, const TinyEncoderOptions& o) {
    fs::create_directories(folder);
    json image, audio;
    if (o.image) {
        torch::jit::Module m("TinyImage");
        auto w = torch::zeros({3, o.dim});
        for (std::int64_t j = 0; j < o.dim; ++j) w[j % 3][j] = 1.0 + 0.01 * static_cast<double>(j);
        m.register_buffer("w", w);
        m.define(R"(
def forward(self, x):
    return torch.matmul(torch.mean(x, dim=[2, 3]), self.w)
)");
        m.save((folder / "image.pt").string());
        image = imageEntry("tiny test image encoder", o.imageSize,
                           o.manifestDim > 0 ? o.manifestDim : o.dim, o.framesPerSecond,
                           o.l2Normalize, o.imageBatch);
    }
    if (o.audio) {
        torch::jit::Module m("TinyAudio");
        m.register_buffer(
            "v", 1.0 + torch::arange(o.width, torch::kFloat32) / static_cast<double>(o.width));
        m.define("def forward(self, x):\n    t = (x * x).view(x.size(0), " +
                 std::to_string(o.tokens) +
                 ", -1).mean(dim=2)\n    return t.unsqueeze(2) * self.v\n");
        m.save((folder / "audio.pt").string());
        audio = audioEntry("tiny test audio encoder", o.sampleRate, o.seconds, o.tokens, o.width);
    }
    writeManifest(folder, image, audio);
}

std::vector<float> tinyImageFeatures(std::span<const float> images, std::int64_t count, int size,
                                     std::int64_t dim) {
    std::vector<float> out(static_cast<std::size_t>(count * dim));
    const auto plane = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
    for (std::int64_t n = 0; n < count; ++n) {
        double mean[3] = {};
        for (std::size_t c = 0; c < 3; ++c) {
            const float* p = images.data() + (static_cast<std::size_t>(n) * 3 + c) * plane;
            for (std::size_t i = 0; i < plane; ++i) mean[c] += p[i];
            mean[c] /= static_cast<double>(plane);
        }
        for (std::int64_t j = 0; j < dim; ++j)
            out[static_cast<std::size_t>(n * dim + j)] =
                static_cast<float>(mean[j % 3] * (1.0 + 0.01 * static_cast<double>(j)));
    }
    return out;
}

std::vector<float> tinyAudioFeatures(std::span<const float> samples, std::int64_t tokens,
                                     std::int64_t width) {
    std::vector<float> out(static_cast<std::size_t>(tokens * width));
    const auto chunk = samples.size() / static_cast<std::size_t>(tokens);
    for (std::int64_t i = 0; i < tokens; ++i) {
        double m = 0;
        for (std::size_t k = 0; k < chunk; ++k) {
            const double x = samples[static_cast<std::size_t>(i) * chunk + k];
            m += x * x;
        }
        m /= static_cast<double>(chunk);
        for (std::int64_t j = 0; j < width; ++j)
            out[static_cast<std::size_t>(i * width + j)] =
                static_cast<float>(m * (1.0 + static_cast<double>(j) / static_cast<double>(width)));
    }
    return out;
}

// TorchScript source of `layers` pre-norm transformer layers (attention + MLP) on `t`
// (b, tokens, width), with one weight set (self.qkv, self.proj, self.fc1, self.fc2).
std::string transformerSource(const std::string& b, int layers, int width, int heads) {
    const std::string w = std::to_string(width);
    return "    for i in range(" + std::to_string(layers) + "):\n" +
           "        h = torch.layer_norm(t, [" + w + "])\n" +
           "        q, k, v = torch.matmul(h, self.qkv).view(" + b + ", -1, 3, " +
           std::to_string(heads) + ", 64).permute(2, 0, 3, 1, 4).unbind(0)\n" +
           "        a = torch.softmax(torch.matmul(q, k.transpose(-2, -1)) * 0.125, -1)\n" +
           "        a = torch.matmul(a, v).transpose(1, 2).reshape(" + b + ", -1, " + w + ")\n" +
           "        t = t + torch.matmul(a, self.proj)\n" + "        h = torch.layer_norm(t, [" +
           w + "])\n" +
           "        t = t + torch.matmul(torch.gelu(torch.matmul(h, self.fc1)), self.fc2)\n";
}

void registerTransformer(torch::jit::Module& m, std::int64_t width, double scale) {
    m.register_parameter("qkv", torch::randn({width, 3 * width}) * scale, false);
    m.register_parameter("proj", torch::randn({width, width}) * scale, false);
    m.register_parameter("fc1", torch::randn({width, 4 * width}) * scale, false);
    m.register_parameter("fc2", torch::randn({4 * width, width}) * scale, false);
}

void writeDummyEncoders(const fs::path& folder, int imageLayers) {
    fs::create_directories(folder);
    torch::manual_seed(0);
    const double s = 0.02;
    {
        // ViT-L/14: 16x16 patches + a class token, width 1024, 16 heads.
        torch::jit::Module m("DummyVitL14");
        m.register_parameter("patch", torch::randn({1024, 3, 14, 14}) * s, false);
        m.register_parameter("cls", torch::randn({1, 1, 1024}) * s, false);
        registerTransformer(m, 1024, s);
        m.register_parameter("out", torch::randn({1024, 768}) * s, false);
        m.define(
            "def forward(self, x):\n"
            "    n = x.size(0)\n"
            "    t = torch.conv2d(x, self.patch, stride=14).flatten(2).transpose(1, 2)\n"
            "    t = torch.cat([self.cls.expand(n, 1, 1024), t], 1)\n" +
            transformerSource("n", imageLayers, 1024, 16) +
            "    return torch.matmul(torch.layer_norm(t[:, 0], [1024]), self.out)\n");
        m.save((folder / "image.pt").string());
    }
    {
        // 256 tokens of 1875 samples, width 768, 12 heads, 4 layers, pooled to 64 tokens.
        torch::jit::Module m("DummyHtsat");
        m.register_parameter("inp", torch::randn({1875, 768}) * s, false);
        registerTransformer(m, 768, s);
        m.define(
            "def forward(self, x):\n"
            "    t = torch.matmul(x.view(1, 256, 1875), self.inp)\n" +
            transformerSource("1", 4, 768, 12) + "    return t.view(1, 64, 4, 768).mean(2)\n");
        m.save((folder / "audio.pt").string());
    }
    writeManifest(
        folder,
        imageEntry("dummy ViT-L/14-sized image encoder (random weights)", 224, 768, 1, true, 10),
        audioEntry("dummy HTS-AT-sized audio encoder (random weights)", 48000, 10.0, 64, 768));
}

}  // namespace avvp::test
