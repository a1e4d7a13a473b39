#pragma once
// What a media file holds, as FFmpeg's demuxer reports it (probe() reads only headers and
// a few packets; it decodes nothing).
//
// Time convention of the whole media layer: seconds from the start of the *video* stream
// (its first presentation time stamp is t = 0), or from the start of the audio stream
// when there is no video. Audio is placed on the same axis, so one-second segment k is
// [k, k+1) for both modalities, whatever offset the container stores.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace avvp::media {

struct Rational {
    int num = 0;
    int den = 1;
    double value() const { return den == 0 ? 0.0 : static_cast<double>(num) / den; }
    bool valid() const { return num > 0 && den > 0; }
    friend bool operator==(const Rational&, const Rational&) = default;
};

enum class StreamKind { Video, Audio, Subtitle, Data, Attachment, Unknown };
const char* streamKindName(StreamKind kind);

struct StreamInfo {
    int index = -1;  // stream index in the container
    StreamKind kind = StreamKind::Unknown;
    std::string codec;          // FFmpeg short codec name ("h264", "aac", "none")
    std::string codecLongName;  // "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10"
    bool decodable = false;     // this FFmpeg build has a decoder for it
    double start = 0.0;         // first time stamp, seconds on the container's axis
    double duration = 0.0;      // seconds (0 when unknown)
    std::int64_t frames = 0;    // frame count from the header (0 when unknown)
    std::int64_t bitRate = 0;   // bits per second (0 when unknown)
    // Video
    int width = 0, height = 0;
    Rational sampleAspect{1, 1};     // pixel aspect ratio
    int rotation = 0;                // clockwise degrees to turn the picture for display
                                     // (0, 90, 180, 270; the display matrix side data)
    Rational frameRate;              // average frame rate (or the nominal rate)
    std::string pixelFormat;         // "yuv420p"
    bool variableFrameRate = false;  // the nominal and average rates disagree
    // Audio
    int sampleRate = 0;
    int channels = 0;
    std::string channelLayout;  // "mono", "stereo", "5.1(side)", ...
    std::string sampleFormat;   // "fltp"
};

struct MediaInfo {
    std::filesystem::path path;
    std::string container;      // FFmpeg demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    std::string containerLong;  // "QuickTime / MOV"
    double duration = 0.0;      // seconds on our time axis (see above)
    std::int64_t bitRate = 0;
    std::int64_t fileSize = 0;
    std::vector<StreamInfo> streams;
    int videoStream = -1;  // index into `streams` of the stream we decode, or -1
    int audioStream = -1;

    bool hasVideo() const { return videoStream >= 0; }
    bool hasAudio() const { return audioStream >= 0; }
    const StreamInfo& video() const;  // throws std::logic_error when there is none
    const StreamInfo& audio() const;
    // Display size after the pixel aspect ratio (what a player shows).
    int displayWidth() const;
    int displayHeight() const;
    // Width / height of the picture as shown: the pixel aspect ratio applied and, for a
    // rotation of 90 or 270 degrees, inverted (0 without video). Frames are decoded as
    // stored (displayWidth() x displayHeight()); turning them is the view's job.
    double displayAspect() const;
    // Number of one-second segments (ceil of the duration, at least 1).
    int segments() const;
};

// Opens the file, reads its headers and returns what it holds. Throws MediaError
// (missing, empty, not media, corrupt, ...). A file with neither audio nor video is
// reported as NotMedia. With `checkComplete` it also reads the last seconds of the data
// and reports a file cut short of its declared duration as Truncated.
MediaInfo probe(const std::filesystem::path& file, bool checkComplete = true);

// A readable multi-line description (the `avvp probe` text format).
std::string describe(const MediaInfo& info);

}  // namespace avvp::media
