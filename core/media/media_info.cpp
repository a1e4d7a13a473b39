#include "core/media/media_info.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "core/media/ffmpeg_common.h"

namespace avvp::media {

const char* mediaErrorKindName(MediaErrorKind kind) {
    switch (kind) {
        case MediaErrorKind::Missing:
            return "missing";
        case MediaErrorKind::Unreadable:
            return "unreadable";
        case MediaErrorKind::Empty:
            return "empty";
        case MediaErrorKind::NotMedia:
            return "not media";
        case MediaErrorKind::Corrupt:
            return "corrupt";
        case MediaErrorKind::Truncated:
            return "truncated";
        case MediaErrorKind::Unsupported:
            return "unsupported";
        case MediaErrorKind::NoVideo:
            return "no video";
        case MediaErrorKind::NoAudio:
            return "no audio";
        case MediaErrorKind::InvalidArgument:
            return "invalid argument";
        case MediaErrorKind::Write:
            return "write";
    }
    return "?";
}

const char* streamKindName(StreamKind kind) {
    switch (kind) {
        case StreamKind::Video:
            return "video";
        case StreamKind::Audio:
            return "audio";
        case StreamKind::Subtitle:
            return "subtitle";
        case StreamKind::Data:
            return "data";
        case StreamKind::Attachment:
            return "attachment";
        case StreamKind::Unknown:
            return "unknown";
    }
    return "unknown";
}

const StreamInfo& MediaInfo::video() const {
    if (videoStream < 0) throw std::logic_error("MediaInfo::video(): no video stream");
    return streams.at(static_cast<std::size_t>(videoStream));
}

const StreamInfo& MediaInfo::audio() const {
    if (audioStream < 0) throw std::logic_error("MediaInfo::audio(): no audio stream");
    return streams.at(static_cast<std::size_t>(audioStream));
}

int MediaInfo::displayWidth() const {
    if (!hasVideo()) return 0;
    const auto& v = video();
    if (!v.sampleAspect.valid() || v.sampleAspect.num == v.sampleAspect.den) return v.width;
    return static_cast<int>(std::lround(v.width * v.sampleAspect.value()));
}

int MediaInfo::displayHeight() const {
    return hasVideo() ? video().height : 0;
}

double MediaInfo::displayAspect() const {
    if (!hasVideo() || video().width <= 0 || video().height <= 0) return 0.0;
    const auto& v = video();
    const double sar = v.sampleAspect.valid() ? v.sampleAspect.value() : 1.0;
    const double aspect = v.width * sar / v.height;
    return v.rotation % 180 == 90 ? 1.0 / aspect : aspect;
}

int MediaInfo::segments() const {
    // A container's duration can overshoot the last frame by a few milliseconds; a
    // segment needs at least a tenth of a second to count.
    return std::max(1, static_cast<int>(std::ceil(duration - 0.1)));
}

MediaInfo probe(const std::filesystem::path& file, bool checkComplete) {
    detail::Demuxer demux(file);
    if (checkComplete) demux.checkComplete();
    return demux.info();
}

std::string describe(const MediaInfo& info) {
    std::ostringstream out;
    char buf[256];
    out << "file: " << info.path.string() << " (" << info.fileSize << " bytes)\n";
    out << "container: " << info.container;
    if (!info.containerLong.empty()) out << " (" << info.containerLong << ")";
    out << "\n";
    std::snprintf(buf, sizeof buf, "duration: %.3f s (%d one-second segments)", info.duration,
                  info.segments());
    out << buf;
    if (info.bitRate > 0) out << ", " << (info.bitRate + 500) / 1000 << " kb/s";
    out << "\n";
    for (std::size_t i = 0; i < info.streams.size(); ++i) {
        const auto& s = info.streams[i];
        out << "stream " << s.index << ": " << streamKindName(s.kind) << " " << s.codec;
        if (!s.codecLongName.empty()) out << " (" << s.codecLongName << ")";
        if (s.kind == StreamKind::Video) {
            out << ", " << s.width << "x" << s.height;
            if (s.sampleAspect.valid() && s.sampleAspect.num != s.sampleAspect.den)
                out << " SAR " << s.sampleAspect.num << ":" << s.sampleAspect.den;
            if (s.rotation != 0) out << ", rotated " << s.rotation << " degrees";
            std::snprintf(buf, sizeof buf, ", %.3f fps (%d/%d)%s", s.frameRate.value(),
                          s.frameRate.num, s.frameRate.den,
                          s.variableFrameRate ? ", variable frame rate" : "");
            out << buf;
            if (!s.pixelFormat.empty()) out << ", " << s.pixelFormat;
            if (s.frames > 0) out << ", " << s.frames << " frames";
        } else if (s.kind == StreamKind::Audio) {
            out << ", " << s.sampleRate << " Hz, " << s.channels << " channel"
                << (s.channels == 1 ? "" : "s");
            if (!s.channelLayout.empty()) out << " (" << s.channelLayout << ")";
            if (!s.sampleFormat.empty()) out << ", " << s.sampleFormat;
        }
        if (s.duration > 0) {
            std::snprintf(buf, sizeof buf, ", %.3f s", s.duration);
            out << buf;
        }
        if (static_cast<int>(i) == info.videoStream || static_cast<int>(i) == info.audioStream)
            out << (s.decodable ? "  [used]" : "  [used, no decoder]");
        else if (!s.decodable && (s.kind == StreamKind::Video || s.kind == StreamKind::Audio))
            out << "  [no decoder]";
        out << "\n";
    }
    return out.str();
}

}  // namespace avvp::media
