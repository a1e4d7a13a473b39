// EncoderSet: the TorchScript modules of an encoder folder, run with LibTorch.
#include <torch/script.h>
#include <torch/torch.h>

#include <cstring>
#include <sstream>

#include "core/error.h"
#include "models/encoders.h"
#include "models/runtime.h"

namespace avvp::models {

namespace {

std::string shapeOf(const torch::Tensor& t) {
    std::ostringstream s;
    s << "(";
    for (int64_t i = 0; i < t.dim(); ++i) s << (i ? ", " : "") << t.size(i);
    s << ")";
    return s.str();
}

// The first line of a LibTorch error (the rest is a C++ backtrace).
std::string firstLine(const std::string& what) {
    const auto nl = what.find('\n');
    return nl == std::string::npos ? what : what.substr(0, nl);
}

torch::jit::Module loadModule(const std::filesystem::path& file, const torch::Device& device) {
    try {
        auto m = torch::jit::load(file.string(), device);
        m.eval();
        return m;
    } catch (const c10::Error& e) {
        throw core::InputError(
            file.string(), 0, "not a TorchScript module LibTorch can load: " + firstLine(e.what()));
    }
}

}  // namespace

struct EncoderSet::Impl {
    EncoderManifest manifest;
    std::string deviceName;
    torch::Device device{torch::kCPU};
    std::optional<torch::jit::Module> image, audio;

    torch::Tensor run(torch::jit::Module& m, torch::Tensor input,
                      const std::filesystem::path& file) {
        torch::NoGradGuard noGrad;
        try {
            auto out = m.forward({input.to(device)});
            if (!out.isTensor())
                throw core::InputError(file.string(), 0,
                                       "the module's forward does not return a tensor");
            return out.toTensor().to(torch::kCPU, torch::kFloat32).contiguous();
        } catch (const c10::Error& e) {
            throw core::InputError(
                file.string(), 0,
                "the module failed on input " + shapeOf(input) + ": " + firstLine(e.what()));
        }
    }
};

EncoderSet::EncoderSet(const std::filesystem::path& folder, const std::string& device)
    : impl_(std::make_unique<Impl>()) {
    impl_->manifest = readEncoderManifest(folder);
    impl_->deviceName = resolveDevice(device);
    impl_->device = torch::Device(impl_->deviceName);
    if (impl_->manifest.image)
        impl_->image = loadModule(impl_->manifest.image->file, impl_->device);
    if (impl_->manifest.audio)
        impl_->audio = loadModule(impl_->manifest.audio->file, impl_->device);
}

EncoderSet::~EncoderSet() = default;

const EncoderManifest& EncoderSet::manifest() const {
    return impl_->manifest;
}
const std::string& EncoderSet::device() const {
    return impl_->deviceName;
}

std::vector<float> EncoderSet::encodeImages(std::span<const float> images, std::int64_t count) {
    if (!impl_->image) throw std::logic_error("EncoderSet: the manifest has no image encoder");
    const auto& s = *impl_->manifest.image;
    const std::int64_t per = 3LL * s.size * s.size;
    if (count < 0 || static_cast<std::int64_t>(images.size()) != count * per)
        throw std::invalid_argument(
            "EncoderSet::encodeImages: expected count x 3 x size x size floats");
    std::vector<float> out(static_cast<std::size_t>(count * s.dim));
    for (std::int64_t first = 0; first < count; first += s.batch) {
        const std::int64_t n = std::min<std::int64_t>(s.batch, count - first);
        // from_blob does not copy; the module never writes to its input.
        auto input = torch::from_blob(const_cast<float*>(images.data() + first * per),
                                      {n, 3, s.size, s.size}, torch::kFloat32);
        auto y = impl_->run(*impl_->image, input, s.file);
        if (y.dim() != 2 || y.size(0) != n || y.size(1) != s.dim)
            throw core::InputError(s.file.string(), 0,
                                   "the image encoder returned " + shapeOf(y) + " for " +
                                       std::to_string(n) + " images, but the manifest says (" +
                                       std::to_string(n) + ", " + std::to_string(s.dim) + ")");
        if (s.l2Normalize) y = y / y.norm(2, 1, true).clamp_min(1e-12);
        if (!torch::isfinite(y).all().item<bool>())
            throw core::InputError(s.file.string(), 0, "the image encoder produced NaN or Inf");
        std::memcpy(out.data() + first * s.dim, y.data_ptr<float>(),
                    static_cast<std::size_t>(n * s.dim) * sizeof(float));
    }
    return out;
}

std::vector<float> EncoderSet::encodeAudio(std::span<const float> samples) {
    if (!impl_->audio) throw std::logic_error("EncoderSet: the manifest has no audio encoder");
    const auto& s = *impl_->manifest.audio;
    if (static_cast<std::int64_t>(samples.size()) != s.samples())
        throw std::invalid_argument("EncoderSet::encodeAudio: expected " +
                                    std::to_string(s.samples()) + " samples");
    auto input =
        torch::from_blob(const_cast<float*>(samples.data()), {1, s.samples()}, torch::kFloat32);
    auto y = impl_->run(*impl_->audio, input, s.file);
    if (y.numel() != s.outputSize() ||
        (y.dim() != static_cast<int64_t>(s.shape.size()) &&
         !(y.dim() == static_cast<int64_t>(s.shape.size()) + 1 && y.size(0) == 1))) {
        std::string want = "(";
        for (std::size_t i = 0; i < s.shape.size(); ++i)
            want += (i ? ", " : "") + std::to_string(s.shape[i]);
        throw core::InputError(
            s.file.string(), 0,
            "the audio encoder returned " + shapeOf(y) + ", but the manifest says " + want + ")");
    }
    if (!torch::isfinite(y).all().item<bool>())
        throw core::InputError(s.file.string(), 0, "the audio encoder produced NaN or Inf");
    return std::vector<float>(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
}

}  // namespace avvp::models
