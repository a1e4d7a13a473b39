#pragma once
// Internal to core/media: RAII owners for FFmpeg objects, error sentences, and the
// demuxer every decoder opens files with. Not for other layers (they see no FFmpeg types).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <filesystem>
#include <memory>
#include <string>

#include "core/media/media_error.h"
#include "core/media/media_info.h"

namespace avvp::media::detail {

struct FormatInputDeleter {
    void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
    void operator()(SwsContext* s) const { sws_freeContext(s); }
};
struct SwrDeleter {
    void operator()(SwrContext* s) const { swr_free(&s); }
};
struct AudioFifoDeleter {
    void operator()(AVAudioFifo* f) const { av_audio_fifo_free(f); }
};
using FormatInputPtr = std::unique_ptr<AVFormatContext, FormatInputDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using AudioFifoPtr = std::unique_ptr<AVAudioFifo, AudioFifoDeleter>;

FramePtr makeFrame();
PacketPtr makePacket();

// av_strerror as a std::string ("Invalid data found when processing input").
std::string errorString(int code);

// FFmpeg logs through a process-wide callback. We install one (once) that keeps the last
// error-level message of the calling thread, so errors can say what FFmpeg said, and that
// keeps FFmpeg quiet on stderr unless AVVP_FFMPEG_LOG=1 (or a level name) is set.
void installLogCapture();
void clearLastLog();
std::string lastLog();  // the last captured error message of this thread, or ""

// Reason text for a failed FFmpeg call: "<what>: <av_strerror>[ (<last log line>)]".
std::string failure(const std::string& what, int code);

double toSeconds(std::int64_t ts, AVRational tb);
std::int64_t fromSeconds(double seconds, AVRational tb);

// An opened input file: the demuxer, the chosen video and audio streams and MediaInfo.
// `origin` is the container time (seconds) of our t = 0 (see media_info.h).
class Demuxer {
  public:
    explicit Demuxer(const std::filesystem::path& file);

    AVFormatContext* context() const { return fmt_.get(); }
    const MediaInfo& info() const { return info_; }
    const std::filesystem::path& path() const { return info_.path; }
    std::string name() const { return info_.path.string(); }
    AVStream* videoStream() const;  // nullptr when none
    AVStream* audioStream() const;
    double origin() const { return origin_; }

    // Time stamps of `st` <-> seconds on our axis.
    double seconds(std::int64_t ts, const AVStream* st) const;
    std::int64_t timestamp(double seconds, const AVStream* st) const;

    // Seeks to the stream's very first packet (encoder priming included, which a seek to
    // its start time would skip). Throws when the file cannot seek at all. Returns 0.
    int seekToStart(const AVStream* st);

    // Keeps only `keep` (a stream index, or -1 for none) from the demuxer's output.
    void discardAllBut(int keepA, int keepB = -1);

    // Throws MediaError(Truncated) when the data of the chosen streams ends well before
    // the duration the container (or a stream) declares. Reads only the last seconds.
    // Leaves the read position undefined (seek afterwards).
    void checkComplete();

    // A decoder for the stream, with frame and slice threading (`threads` 0 = auto).
    CodecContextPtr openDecoder(const AVStream* st, int threads) const;

    [[noreturn]] void fail(MediaErrorKind kind, const std::string& reason) const;

  private:
    FormatInputPtr fmt_;
    MediaInfo info_;
    int videoIndex_ = -1, audioIndex_ = -1;  // container stream indices
    double origin_ = 0.0;
};

}  // namespace avvp::media::detail
