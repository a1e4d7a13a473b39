#include "core/media/ffmpeg_common.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <system_error>
#include <vector>

extern "C" {
#include <libavutil/display.h>
}

namespace avvp::media::detail {

namespace fs = std::filesystem;

FramePtr makeFrame() {
    FramePtr f(av_frame_alloc());
    if (!f) throw std::bad_alloc();
    return f;
}

PacketPtr makePacket() {
    PacketPtr p(av_packet_alloc());
    if (!p) throw std::bad_alloc();
    return p;
}

std::string errorString(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(code, buf, sizeof buf) < 0)
        std::snprintf(buf, sizeof buf, "FFmpeg error %d", code);
    return buf;
}

namespace {

thread_local std::string tLastLog;
int gForwardLevel = AV_LOG_QUIET;

void logCallback(void* avcl, int level, const char* fmt, va_list args) {
    if (level <= AV_LOG_ERROR) {
        char line[1024];
        int prefix = 1;
        va_list copy;
        va_copy(copy, args);
        av_log_format_line(avcl, level, fmt, copy, line, sizeof line, &prefix);
        va_end(copy);
        std::string s = line;
        // Drop the "[h264 @ 0x55...] " context prefix and the trailing newline.
        if (!s.empty() && s.front() == '[') {
            if (const auto close = s.find("] "); close != std::string::npos) s.erase(0, close + 2);
        }
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        if (!s.empty()) tLastLog = s;
    }
    if (level <= gForwardLevel) av_log_default_callback(avcl, level, fmt, args);
}

}  // namespace

void installLogCapture() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (const char* env = std::getenv("AVVP_FFMPEG_LOG"); env && *env) {
            const std::string v = env;
            gForwardLevel = v == "debug"     ? AV_LOG_DEBUG
                            : v == "verbose" ? AV_LOG_VERBOSE
                            : v == "info"    ? AV_LOG_INFO
                            : v == "0"       ? AV_LOG_QUIET
                                             : AV_LOG_WARNING;
        }
        av_log_set_callback(logCallback);
    });
}

void clearLastLog() {
    tLastLog.clear();
}
std::string lastLog() {
    return tLastLog;
}

std::string failure(const std::string& what, int code) {
    std::string out = what + ": " + errorString(code);
    const auto log = lastLog();
    if (!log.empty() && out.find(log) == std::string::npos) out += " (FFmpeg: " + log + ")";
    return out;
}

double toSeconds(std::int64_t ts, AVRational tb) {
    return static_cast<double>(ts) * tb.num / tb.den;
}

std::int64_t fromSeconds(double seconds, AVRational tb) {
    return static_cast<std::int64_t>(std::llround(seconds * tb.den / tb.num));
}

namespace {

Rational rational(AVRational r) {
    return {r.num, r.den};
}

std::string codecName(AVCodecID id) {
    const char* n = avcodec_get_name(id);
    return n ? n : "unknown";
}

StreamKind kindOf(AVMediaType t) {
    switch (t) {
        case AVMEDIA_TYPE_VIDEO:
            return StreamKind::Video;
        case AVMEDIA_TYPE_AUDIO:
            return StreamKind::Audio;
        case AVMEDIA_TYPE_SUBTITLE:
            return StreamKind::Subtitle;
        case AVMEDIA_TYPE_DATA:
            return StreamKind::Data;
        case AVMEDIA_TYPE_ATTACHMENT:
            return StreamKind::Attachment;
        default:
            return StreamKind::Unknown;
    }
}

// Clockwise degrees (0, 90, 180, 270) the stream's display matrix turns the picture by;
// av_display_rotation_get() counts counter-clockwise.
int displayRotation(const AVStream* st) {
    const std::uint8_t* matrix = nullptr;
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 29, 100)
    if (const AVPacketSideData* sd =
            av_packet_side_data_get(st->codecpar->coded_side_data, st->codecpar->nb_coded_side_data,
                                    AV_PKT_DATA_DISPLAYMATRIX))
        if (sd->size >= 9 * sizeof(std::int32_t)) matrix = sd->data;
#else
    std::size_t size = 0;
    matrix = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (size < 9 * sizeof(std::int32_t)) matrix = nullptr;
#endif
    if (!matrix) return 0;
    const double ccw = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
    if (!std::isfinite(ccw)) return 0;
    const long quarter = std::lround(-ccw / 90.0);
    return static_cast<int>(((quarter % 4) + 4) % 4) * 90;
}

// Among the streams of `type`, the one a player would pick: decodable first, then the
// default disposition, then the first; cover art (attached pictures) never counts.
int pickStream(const AVFormatContext* fmt, AVMediaType type) {
    int best = -1, bestScore = -1;
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVStream* st = fmt->streams[i];
        if (st->codecpar->codec_type != type) continue;
        if (st->disposition & AV_DISPOSITION_ATTACHED_PIC) continue;
        const int score = (avcodec_find_decoder(st->codecpar->codec_id) ? 2 : 0) +
                          ((st->disposition & AV_DISPOSITION_DEFAULT) ? 1 : 0);
        if (score > bestScore) {
            best = static_cast<int>(i);
            bestScore = score;
        }
    }
    return best;
}

}  // namespace

Demuxer::Demuxer(const fs::path& file) {
    installLogCapture();
    info_.path = file;
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (ec || !fs::exists(status)) fail(MediaErrorKind::Missing, "no such file");
    if (fs::is_directory(status)) fail(MediaErrorKind::Missing, "is a folder, not a media file");
    if (!fs::is_regular_file(status)) fail(MediaErrorKind::NotMedia, "not a regular file");
    info_.fileSize = static_cast<std::int64_t>(fs::file_size(file, ec));
    if (ec) fail(MediaErrorKind::Unreadable, "cannot read its size: " + ec.message());
    if (info_.fileSize == 0) fail(MediaErrorKind::Empty, "empty file (0 bytes)");
    if (::access(file.c_str(), R_OK) != 0)
        fail(MediaErrorKind::Unreadable, std::string("cannot be read: ") + std::strerror(errno));

    clearLastLog();
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, file.c_str(), nullptr, nullptr);
    if (rc < 0) {
        const auto log = lastLog();
        if (log.find("moov atom not found") != std::string::npos) {
            // FFmpeg picks the MP4 reader by the file name too; only a file that starts
            // like an MP4 (a box header such as "ftyp") is a cut-off MP4.
            char head[12] = {};
            std::FILE* f = std::fopen(file.c_str(), "rb");
            const std::size_t got = f ? std::fread(head, 1, sizeof head, f) : 0;
            if (f) std::fclose(f);
            const std::string box = got == sizeof head ? std::string(head + 4, 4) : "";
            if (box == "ftyp" || box == "mdat" || box == "moov" || box == "free" || box == "wide" ||
                box == "skip")
                fail(MediaErrorKind::Truncated,
                     "truncated or unfinished: its MP4 index (moov atom) is missing");
            fail(MediaErrorKind::NotMedia,
                 "not a media file: FFmpeg recognises no audio or video format in it");
        }
        if (rc == AVERROR(EACCES) || rc == AVERROR(EPERM))
            fail(MediaErrorKind::Unreadable, "cannot be read: " + errorString(rc));
        if (rc == AVERROR_INVALIDDATA && log.empty())
            fail(MediaErrorKind::NotMedia,
                 "not a media file: FFmpeg recognises no audio or video format in it");
        fail(MediaErrorKind::Corrupt, failure("corrupt: the container cannot be opened", rc));
    }
    fmt_.reset(raw);
    // FFmpeg's "tty" demuxer turns any .txt/.nfo file into ANSI-art video: not media to us.
    if (std::strcmp(fmt_->iformat->name, "tty") == 0)
        fail(MediaErrorKind::NotMedia, "not a media file (a text file)");

    clearLastLog();
    rc = avformat_find_stream_info(fmt_.get(), nullptr);
    if (rc < 0) fail(MediaErrorKind::Corrupt, failure("corrupt: its streams cannot be read", rc));

    info_.container = fmt_->iformat->name ? fmt_->iformat->name : "";
    info_.containerLong = fmt_->iformat->long_name ? fmt_->iformat->long_name : "";
    info_.bitRate = fmt_->bit_rate;
    videoIndex_ = pickStream(fmt_.get(), AVMEDIA_TYPE_VIDEO);
    audioIndex_ = pickStream(fmt_.get(), AVMEDIA_TYPE_AUDIO);
    if (videoIndex_ < 0 && audioIndex_ < 0) {
        if (fmt_->nb_streams == 0)
            fail(MediaErrorKind::NotMedia, "not a media file: it holds no streams");
        fail(MediaErrorKind::NotMedia, "holds no audio or video stream");
    }

    const double containerStart =
        fmt_->start_time != AV_NOPTS_VALUE ? toSeconds(fmt_->start_time, AV_TIME_BASE_Q) : 0.0;
    auto streamStart = [&](int idx) -> std::optional<double> {
        const AVStream* st = fmt_->streams[idx];
        if (st->start_time == AV_NOPTS_VALUE) return std::nullopt;
        return toSeconds(st->start_time, st->time_base);
    };
    if (videoIndex_ >= 0 && streamStart(videoIndex_))
        origin_ = *streamStart(videoIndex_);
    else if (audioIndex_ >= 0 && streamStart(audioIndex_))
        origin_ = *streamStart(audioIndex_);
    else
        origin_ = containerStart;

    double end = 0.0;
    bool endKnown = false;
    for (unsigned i = 0; i < fmt_->nb_streams; ++i) {
        const AVStream* st = fmt_->streams[i];
        const AVCodecParameters* par = st->codecpar;
        StreamInfo s;
        s.index = static_cast<int>(i);
        s.kind = kindOf(par->codec_type);
        s.codec = par->codec_id == AV_CODEC_ID_NONE ? "unknown" : codecName(par->codec_id);
        if (const AVCodecDescriptor* d = avcodec_descriptor_get(par->codec_id))
            s.codecLongName = d->long_name ? d->long_name : "";
        s.decodable = avcodec_find_decoder(par->codec_id) != nullptr;
        s.start = st->start_time != AV_NOPTS_VALUE ? toSeconds(st->start_time, st->time_base)
                                                   : containerStart;
        if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
            s.duration = toSeconds(st->duration, st->time_base);
        s.frames = st->nb_frames;
        s.bitRate = par->bit_rate;
        if (s.kind == StreamKind::Video) {
            s.width = par->width;
            s.height = par->height;
            const AVRational sar =
                av_guess_sample_aspect_ratio(fmt_.get(), fmt_->streams[i], nullptr);
            if (sar.num > 0 && sar.den > 0) s.sampleAspect = rational(sar);
            s.rotation = displayRotation(fmt_->streams[i]);
            const AVRational avg = st->avg_frame_rate, nominal = st->r_frame_rate;
            s.frameRate = rational(avg.num > 0 && avg.den > 0 ? avg : nominal);
            s.variableFrameRate = avg.num > 0 && nominal.num > 0 && av_cmp_q(avg, nominal) != 0;
            if (const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format)))
                s.pixelFormat = pf;
        } else if (s.kind == StreamKind::Audio) {
            s.sampleRate = par->sample_rate;
            s.channels = par->ch_layout.nb_channels;
            // An unspecified order (WAV without a channel mask) is decoded as the default
            // layout for the count, so name that one.
            AVChannelLayout def{};
            const AVChannelLayout* l = &par->ch_layout;
            if (l->order == AV_CHANNEL_ORDER_UNSPEC && l->nb_channels > 0) {
                av_channel_layout_default(&def, l->nb_channels);
                l = &def;
            }
            char layout[128] = {};
            if (av_channel_layout_describe(l, layout, sizeof layout) > 0) s.channelLayout = layout;
            av_channel_layout_uninit(&def);
            if (const char* sf = av_get_sample_fmt_name(static_cast<AVSampleFormat>(par->format)))
                s.sampleFormat = sf;
        }
        if ((s.index == videoIndex_ || s.index == audioIndex_) && s.duration > 0) {
            end = std::max(end, s.start + s.duration);
            endKnown = true;
        }
        info_.streams.push_back(std::move(s));
    }
    if (!endKnown && fmt_->duration != AV_NOPTS_VALUE && fmt_->duration > 0) {
        end = containerStart + toSeconds(fmt_->duration, AV_TIME_BASE_Q);
        endKnown = true;
    }
    info_.duration = endKnown ? std::max(0.0, end - origin_) : 0.0;
    info_.videoStream = videoIndex_;
    info_.audioStream = audioIndex_;
}

AVStream* Demuxer::videoStream() const {
    return videoIndex_ >= 0 ? fmt_->streams[videoIndex_] : nullptr;
}

AVStream* Demuxer::audioStream() const {
    return audioIndex_ >= 0 ? fmt_->streams[audioIndex_] : nullptr;
}

double Demuxer::seconds(std::int64_t ts, const AVStream* st) const {
    return toSeconds(ts, st->time_base) - origin_;
}

std::int64_t Demuxer::timestamp(double s, const AVStream* st) const {
    return fromSeconds(s + origin_, st->time_base);
}

int Demuxer::seekToStart(const AVStream* st) {
    const auto start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    const auto before = start - fromSeconds(10.0, st->time_base);
    // Without AVSEEK_FLAG_BACKWARD: the first keyframe at or after a time before the start.
    int rc = av_seek_frame(fmt_.get(), st->index, before, 0);
    if (rc < 0) rc = av_seek_frame(fmt_.get(), st->index, start, AVSEEK_FLAG_BACKWARD);
    if (rc < 0) rc = avformat_seek_file(fmt_.get(), -1, 0, 0, 0, AVSEEK_FLAG_BYTE);
    if (rc < 0) fail(MediaErrorKind::Unsupported, failure("cannot seek in this file", rc));
    return 0;
}

void Demuxer::discardAllBut(int keepA, int keepB) {
    for (unsigned i = 0; i < fmt_->nb_streams; ++i) {
        const int idx = static_cast<int>(i);
        fmt_->streams[i]->discard =
            (idx == keepA || idx == keepB) ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
}

void Demuxer::checkComplete() {
    // A duration estimated from the bit rate says nothing about where the data ends.
    if (fmt_->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE) return;
    std::vector<const AVStream*> streams;
    if (videoIndex_ >= 0) streams.push_back(fmt_->streams[videoIndex_]);
    if (audioIndex_ >= 0) streams.push_back(fmt_->streams[audioIndex_]);
    const double fileEnd = info_.duration;
    if (streams.empty() || fileEnd <= 0) return;

    const double minusInf = -std::numeric_limits<double>::infinity();
    std::vector<double> last(streams.size(), minusInf);
    const AVStream* anchor = streams.front();
    auto pkt = makePacket();
    // The end of each stream's data, read from `from` on; false when nothing was read.
    auto readFrom = [&](double from) {
        std::fill(last.begin(), last.end(), minusInf);
        const auto ts = timestamp(std::max(0.0, from), anchor);
        if (av_seek_frame(fmt_.get(), anchor->index, ts, AVSEEK_FLAG_BACKWARD) < 0 && from > 0)
            return false;
        bool any = false;
        for (int n = 0; n < 1000000 && av_read_frame(fmt_.get(), pkt.get()) >= 0; ++n) {
            for (std::size_t i = 0; i < streams.size(); ++i) {
                if (pkt->stream_index != streams[i]->index) continue;
                const auto t = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
                if (t == AV_NOPTS_VALUE) continue;
                last[i] = std::max(
                    last[i], seconds(t + std::max<std::int64_t>(0, pkt->duration), streams[i]));
                any = true;
            }
            av_packet_unref(pkt.get());
        }
        return any;
    };
    double from = 0;
    bool any = false;
    for (const double f : {fileEnd - 3.0, fileEnd / 2, 0.0}) {
        from = std::max(0.0, f);
        any = readFrom(from);
        if (any || from <= 0) break;
    }
    avformat_flush(fmt_.get());
    if (!any)
        fail(MediaErrorKind::Truncated,
             "truncated or corrupt: no audio or video data could be read");

    const double tolerance = std::max(0.5, 0.02 * fileEnd);
    auto truncated = [&](const char* what, double end, double declared) {
        char msg[200];
        if (std::isfinite(end))
            std::snprintf(msg, sizeof msg,
                          "truncated: its %s data ends at %.2f s but the file declares %.2f s",
                          what, end, declared);
        else
            std::snprintf(msg, sizeof msg,
                          "truncated: its %s data ends before %.2f s but the file declares %.2f s",
                          what, from, declared);
        fail(MediaErrorKind::Truncated, msg);
    };
    double dataEnd = minusInf;
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const StreamInfo& s = info_.streams[static_cast<std::size_t>(streams[i]->index)];
        dataEnd = std::max(dataEnd, last[i]);
        if (s.duration <= 0) continue;  // no duration of its own: judged with the file below
        const double declared = s.start + s.duration - origin_;
        if (declared > from + tolerance && last[i] < declared - tolerance)
            truncated(streamKindName(s.kind), last[i], declared);
    }
    if (dataEnd < fileEnd - tolerance) truncated("audio and video", dataEnd, fileEnd);
}

CodecContextPtr Demuxer::openDecoder(const AVStream* st, int threads) const {
    const char* kind = st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO ? "video" : "audio";
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        fail(MediaErrorKind::Unsupported, std::string("unsupported codec: its ") + kind +
                                              " stream uses '" + codecName(st->codecpar->codec_id) +
                                              "', which this FFmpeg build cannot decode");
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx) throw std::bad_alloc();
    int rc = avcodec_parameters_to_context(ctx.get(), st->codecpar);
    if (rc < 0)
        fail(MediaErrorKind::Corrupt,
             failure(std::string("bad ") + kind + " stream parameters", rc));
    ctx->pkt_timebase = st->time_base;
    ctx->thread_count = threads;
    ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    clearLastLog();
    rc = avcodec_open2(ctx.get(), codec, nullptr);
    if (rc < 0)
        fail(MediaErrorKind::Unsupported,
             failure(std::string("cannot open the ") + codec->name + " " + kind + " decoder", rc));
    return ctx;
}

void Demuxer::fail(MediaErrorKind kind, const std::string& reason) const {
    throw MediaError(kind, info_.path.string(), reason);
}

}  // namespace avvp::media::detail
