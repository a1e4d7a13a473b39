#include "core/media/segment_sampler.h"

#include <algorithm>
#include <cmath>

#include "core/media/audio_decoder.h"
#include "core/media/video_decoder.h"

namespace avvp::media {

std::vector<FeatureWindow> featureWindows(int segmentCount, int segmentsPerWindow) {
    segmentCount = std::max(1, segmentCount);
    segmentsPerWindow = std::max(1, segmentsPerWindow);
    std::vector<FeatureWindow> out;
    for (int first = 0; first < segmentCount; first += segmentsPerWindow) {
        FeatureWindow w;
        w.index = static_cast<int>(out.size());
        w.firstSegment = first;
        w.segments = segmentsPerWindow;
        w.validSegments = std::min(segmentsPerWindow, segmentCount - first);
        out.push_back(w);
    }
    return out;
}

std::vector<double> segmentSampleTimes(int firstSegment, int segments, int perSecond) {
    std::vector<double> t;
    perSecond = std::max(1, perSecond);
    t.reserve(static_cast<std::size_t>(segments * perSecond));
    for (int k = 0; k < segments; ++k)
        for (int j = 0; j < perSecond; ++j) t.push_back(firstSegment + k + (j + 0.5) / perSecond);
    return t;
}

void shortSideResize(int width, int height, int size, int& outWidth, int& outHeight) {
    width = std::max(1, width);
    height = std::max(1, height);
    if (width <= height) {
        outWidth = size;
        outHeight = std::max(size, static_cast<int>(static_cast<double>(size) * height / width));
    } else {
        outHeight = size;
        outWidth = std::max(size, static_cast<int>(static_cast<double>(size) * width / height));
    }
}

namespace {
// Python's round(): halves go to the even neighbour.
int roundHalfEven(double v) {
    const double f = std::floor(v);
    const double diff = v - f;
    if (diff > 0.5) return static_cast<int>(f) + 1;
    if (diff < 0.5) return static_cast<int>(f);
    return static_cast<int>(f) % 2 == 0 ? static_cast<int>(f) : static_cast<int>(f) + 1;
}
}  // namespace

void cropAndNormalise(const VideoFrame& rgb, const ImagePreprocess& p, std::span<float> out) {
    const int s = p.size;
    const auto plane = static_cast<std::size_t>(s) * static_cast<std::size_t>(s);
    if (rgb.format != PixelFormat::Rgb24 || rgb.width < s || rgb.height < s ||
        out.size() < 3 * plane)
        throw std::invalid_argument("cropAndNormalise: frame smaller than the crop or not RGB24");
    const int left = roundHalfEven((rgb.width - s) / 2.0);
    const int top = roundHalfEven((rgb.height - s) / 2.0);
    float scale[3], offset[3];
    for (int c = 0; c < 3; ++c) {
        scale[c] = 1.0f / (255.0f * p.std[static_cast<std::size_t>(c)]);
        offset[c] = -p.mean[static_cast<std::size_t>(c)] / p.std[static_cast<std::size_t>(c)];
    }
    for (int y = 0; y < s; ++y) {
        const std::uint8_t* row = rgb.pixel(left, top + y);
        for (int x = 0; x < s; ++x) {
            const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(s) +
                           static_cast<std::size_t>(x);
            for (int c = 0; c < 3; ++c)
                out[static_cast<std::size_t>(c) * plane + i] =
                    row[3 * x + c] * scale[c] + offset[c];
        }
    }
}

struct SegmentSampler::Impl {
    ImagePreprocess pre;
    VideoDecoder dec;
    VideoFrame frame;

    static VideoDecoderOptions options(const std::filesystem::path& file,
                                       const ImagePreprocess& p) {
        // The display size is needed before the decoder exists: probe without the
        // completeness check (the decoder makes it).
        const auto info = probe(file, false);
        VideoDecoderOptions o;
        if (info.hasVideo())
            shortSideResize(info.displayWidth(), info.displayHeight(), p.size, o.width, o.height);
        o.format = PixelFormat::Rgb24;
        o.scaling = Scaling::Bicubic;
        o.forwardDecodeSeconds = 2.0;
        return o;
    }

    Impl(const std::filesystem::path& file, ImagePreprocess p)
        : pre(p), dec(file, options(file, p)) {
        if (pre.size < 1 || pre.size > 4096)
            throw MediaError(MediaErrorKind::InvalidArgument, file.string(), "invalid image size");
    }
};

SegmentSampler::SegmentSampler(const std::filesystem::path& file, ImagePreprocess preprocess)
    : impl_(std::make_unique<Impl>(file, preprocess)) {}
SegmentSampler::~SegmentSampler() = default;
SegmentSampler::SegmentSampler(SegmentSampler&&) noexcept = default;
SegmentSampler& SegmentSampler::operator=(SegmentSampler&&) noexcept = default;

const MediaInfo& SegmentSampler::info() const {
    return impl_->dec.info();
}
const ImagePreprocess& SegmentSampler::preprocess() const {
    return impl_->pre;
}

std::vector<FeatureWindow> SegmentSampler::windows(int segmentsPerWindow) const {
    return featureWindows(info().segments(), segmentsPerWindow);
}

std::vector<float> SegmentSampler::images(std::span<const double> times) {
    const auto per =
        3 * static_cast<std::size_t>(impl_->pre.size) * static_cast<std::size_t>(impl_->pre.size);
    std::vector<float> out(per * times.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
        impl_->dec.seek(times[i], impl_->frame);
        cropAndNormalise(impl_->frame, impl_->pre, std::span<float>(out).subspan(i * per, per));
    }
    return out;
}

std::vector<float> SegmentSampler::windowImages(const FeatureWindow& w, int perSecond) {
    const auto times = segmentSampleTimes(w.firstSegment, w.segments, perSecond);
    return images(times);
}

std::vector<float> windowAudio(AudioDecoder& decoder, const FeatureWindow& w, double seconds) {
    return decoder.readWindow(w.start(), seconds);
}

std::vector<float> windowAudio(const std::filesystem::path& file, const FeatureWindow& w,
                               int sampleRate, double seconds) {
    AudioDecoder dec(file, {.format = {sampleRate, 1}});
    return windowAudio(dec, w, seconds);
}

}  // namespace avvp::media
