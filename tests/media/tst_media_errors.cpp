// Every class of bad input gives a MediaError of the right kind whose message names the
// file, and nothing crashes: missing, folder, empty, not media, random bytes, truncated
// (MP4 with the index at the end or the front, Matroska, WebM), corrupt data, an
// unsupported codec, no audio / no video when one is asked for, unreadable files, and
// writer misuse.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <functional>
#include <random>

#include "core/media/audio_decoder.h"
#include "core/media/media_info.h"
#include "core/media/video_decoder.h"
#include "core/media/video_writer.h"
#include "tests/media/media_test_util.h"

using namespace avvp::media;
using namespace avvp::test;

namespace {

struct Caught {
    bool thrown = false;
    MediaErrorKind kind{};
    std::string message;
};

Caught catchMedia(const std::function<void()>& f) {
    Caught c;
    try {
        f();
    } catch (const MediaError& e) {
        c.thrown = true;
        c.kind = e.kind();
        c.message = e.what();
    }
    return c;
}

std::string kindName(const Caught& c) {
    return c.thrown ? mediaErrorKindName(c.kind) : "no error";
}

class Errors : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("tst_media_errors");
        const std::string av =
            "-f lavfi -i testsrc2=s=160x90:r=25:d=4 -f lavfi -i sine=f=440:r=48000:d=4 ";
        ASSERT_EQ(ffmpeg(av + "-c:v libx264 -preset veryfast -c:a aac " + q("good.mp4")), 0);
        ASSERT_EQ(ffmpeg(av + "-c:v libx264 -preset veryfast -c:a aac -movflags +faststart " +
                         q("good_faststart.mp4")),
                  0);
        ASSERT_EQ(ffmpeg(av + "-c:v libx264 -preset veryfast -c:a aac " + q("good.mkv")), 0);
        ASSERT_EQ(ffmpeg(av + "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus " +
                         q("good.webm")),
                  0);
        ASSERT_EQ(ffmpeg("-f lavfi -i testsrc2=s=160x90:r=25:d=4 -c:v libx264 -preset veryfast " +
                         q("video_only.mp4")),
                  0);
        ASSERT_EQ(ffmpeg("-i " + q("good.mkv") + " -map 0:v -c copy -bsf:v noise=amount=1 " +
                         q("garbage_payload.mkv")),
                  0);
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static std::string q(const std::string& name) { return shellQuote((*dir_ / name).string()); }
    static fs::path file(const std::string& name) { return *dir_ / name; }

    // A copy of `from` cut to `fraction` of its size.
    static fs::path truncatedCopy(const std::string& from, double fraction) {
        const auto bytes = readBytes(file(from));
        const auto out =
            file("cut_" + std::to_string(static_cast<int>(fraction * 100)) + "_" + from);
        writeBytes(out, bytes.substr(0, static_cast<std::size_t>(static_cast<double>(bytes.size()) *
                                                                 fraction)));
        return out;
    }

    // Expects probe, VideoDecoder and AudioDecoder all to refuse `p` with `kind`.
    static void expectRefused(const fs::path& p, MediaErrorKind kind, const std::string& words) {
        for (int which = 0; which < 3; ++which) {
            const auto c = catchMedia([&] {
                if (which == 0) probe(p);
                if (which == 1) VideoDecoder v(p);
                if (which == 2) AudioDecoder a(p);
            });
            ASSERT_TRUE(c.thrown) << p << " (reader " << which << ")";
            EXPECT_EQ(c.kind, kind) << p << ": got " << kindName(c) << ": " << c.message;
            EXPECT_NE(c.message.find(p.string()), std::string::npos) << c.message;
            EXPECT_NE(c.message.find(words), std::string::npos) << c.message;
        }
    }

    // Bytes no container reader makes sense of: not media, or corrupt when a reader
    // recognised a header in them.
    static void expectNoContainer(const fs::path& p) {
        const auto c = catchMedia([&] { probe(p); });
        ASSERT_TRUE(c.thrown) << p;
        EXPECT_TRUE(c.kind == MediaErrorKind::NotMedia || c.kind == MediaErrorKind::Corrupt)
            << c.message;
        EXPECT_NE(c.message.find(p.string()), std::string::npos) << c.message;
    }

    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> Errors::dir_;

}  // namespace

TEST_F(Errors, GoodFilesOpen) {
    for (const char* name : {"good.mp4", "good_faststart.mp4", "good.mkv", "good.webm"}) {
        const auto info = probe(file(name));
        EXPECT_TRUE(info.hasVideo() && info.hasAudio()) << name;
        EXPECT_NEAR(info.duration, 4.0, 0.1) << name;
    }
}

TEST_F(Errors, MissingFolderEmptyAndNotMedia) {
    expectRefused(file("nope.mp4"), MediaErrorKind::Missing, "no such file");
    fs::create_directories(file("folder.mp4"));
    expectRefused(file("folder.mp4"), MediaErrorKind::Missing, "folder");
    writeBytes(file("empty.mp4"), "");
    expectRefused(file("empty.mp4"), MediaErrorKind::Empty, "empty");
    writeBytes(file("text.mp4"), "filename\tonset\toffset\tevent_labels\nabc\t0\t10\tSpeech\n");
    expectRefused(file("text.mp4"), MediaErrorKind::NotMedia, "not a media file");
    writeBytes(file("notes.txt"), std::string(5000, 'x'));
    expectRefused(file("notes.txt"), MediaErrorKind::NotMedia, "not a media file");
    std::mt19937 rng(42);
    std::string noise(64 * 1024, '\0');
    for (auto& ch : noise) ch = static_cast<char>(rng() & 0xff);
    writeBytes(file("noise.mkv"), noise);
    expectNoContainer(file("noise.mkv"));
}

TEST_F(Errors, TruncatedFilesAreNamedTruncated) {
    // MP4 written with the index last: cut anywhere, the index is gone.
    expectRefused(truncatedCopy("good.mp4", 0.5), MediaErrorKind::Truncated, "truncated");
    // Index first: the index promises 4 s that are not there.
    expectRefused(truncatedCopy("good_faststart.mp4", 0.5), MediaErrorKind::Truncated, "truncated");
    expectRefused(truncatedCopy("good.mkv", 0.5), MediaErrorKind::Truncated, "truncated");
    expectRefused(truncatedCopy("good.webm", 0.6), MediaErrorKind::Truncated, "truncated");
}

TEST_F(Errors, TruncatedFilesDecodeWhatIsThereWhenAllowed) {
    const auto cut = truncatedCopy("good.mkv", 0.5);
    VideoDecoder v(cut, {.allowTruncated = true});
    int frames = 0;
    while (v.next()) ++frames;
    EXPECT_GT(frames, 10);
    EXPECT_LT(frames, 100);
    VideoFrame f = v.seek(3.9);  // past the data: the last frame there is
    EXPECT_LT(f.pts, 3.0);
    AudioDecoder a(cut, {.allowTruncated = true});
    EXPECT_GT(a.readAll().size(), 10000u);
}

TEST_F(Errors, CorruptDataNeverCrashes) {
    // Bytes overwritten in the middle: the container still opens; decoding conceals or
    // skips the damage, or refuses with a MediaError, but never crashes.
    for (const char* name : {"good_faststart.mp4", "good.mkv", "good.webm"}) {
        auto bytes = readBytes(file(name));
        std::mt19937 rng(3);
        for (std::size_t i = bytes.size() * 4 / 10; i < bytes.size() * 6 / 10; ++i)
            bytes[i] = static_cast<char>(rng() & 0xff);
        const auto p = file(std::string("corrupt_") + name);
        writeBytes(p, bytes);
        const auto c = catchMedia([&] {
            VideoDecoder v(p, {.allowTruncated = true});
            while (v.next()) {
            }
            for (double t : {3.5, 0.2, 2.0, 1.1}) v.seek(t);
            AudioDecoder a(p, {.allowTruncated = true});
            a.readAll();
            a.readWindow(1.5, 1.0);
        });
        if (c.thrown) {
            EXPECT_NE(c.message.find(p.string()), std::string::npos) << c.message;
        }
    }
    // The first 4 KiB overwritten: the header is gone.
    auto bytes = readBytes(file("good.mkv"));
    for (std::size_t i = 0; i < 4096; ++i) bytes[i] = static_cast<char>(i * 7);
    writeBytes(file("no_header.mkv"), bytes);
    expectNoContainer(file("no_header.mkv"));
}

TEST_F(Errors, UndecodableVideoIsCorrupt) {
    // Every video packet scrambled (ffmpeg's noise bitstream filter): no frame decodes.
    const auto p = file("garbage_payload.mkv");
    EXPECT_TRUE(probe(p).hasVideo());
    const auto c = catchMedia([&] {
        VideoDecoder v(p);
        v.next();
    });
    ASSERT_TRUE(c.thrown);
    EXPECT_EQ(c.kind, MediaErrorKind::Corrupt) << c.message;
    EXPECT_NE(c.message.find("no video frame could be decoded"), std::string::npos) << c.message;
}

TEST_F(Errors, UnsupportedCodec) {
    // A Matroska codec id FFmpeg does not know.
    auto bytes = readBytes(file("good.mkv"));
    const auto at = bytes.find("V_MPEG4/ISO/AVC");
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, 15, "V_MPEG4/ISO/QQQ");
    const auto p = file("unknown_codec.mkv");
    writeBytes(p, bytes);
    const auto info = probe(p);
    ASSERT_TRUE(info.hasVideo());
    EXPECT_FALSE(info.video().decodable);
    EXPECT_NE(describe(info).find("no decoder"), std::string::npos);
    const auto c = catchMedia([&] { VideoDecoder v(p); });
    ASSERT_TRUE(c.thrown);
    EXPECT_EQ(c.kind, MediaErrorKind::Unsupported) << c.message;
    EXPECT_NE(c.message.find("cannot decode"), std::string::npos) << c.message;
    AudioDecoder audioStillWorks(p);
    EXPECT_GT(audioStillWorks.readWindow(0, 1).size(), 0u);
}

TEST_F(Errors, MissingStreams) {
    const auto c = catchMedia([&] { AudioDecoder a(file("video_only.mp4")); });
    ASSERT_TRUE(c.thrown);
    EXPECT_EQ(c.kind, MediaErrorKind::NoAudio);
    EXPECT_NE(c.message.find("no audio stream"), std::string::npos);
    ASSERT_EQ(ffmpeg("-f lavfi -i sine=f=440:d=1 -c:a libopus " + q("audio_only.ogg")), 0);
    const auto d = catchMedia([&] { VideoDecoder v(file("audio_only.ogg")); });
    ASSERT_TRUE(d.thrown);
    EXPECT_EQ(d.kind, MediaErrorKind::NoVideo);
}

TEST_F(Errors, UnreadableFile) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
    fs::copy_file(file("good.mkv"), file("locked.mkv"), fs::copy_options::overwrite_existing);
    ::chmod(file("locked.mkv").c_str(), 0);
    expectRefused(file("locked.mkv"), MediaErrorKind::Unreadable, "cannot be read");
}

TEST_F(Errors, BadRequests) {
    auto c = catchMedia([&] { VideoDecoder v(file("good.mkv"), {.width = -3}); });
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    c = catchMedia([&] { AudioDecoder a(file("good.mkv"), {.format = {10, 1}}); });
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    c = catchMedia([&] { AudioDecoder a(file("good.mkv"), {.format = {48000, 0}}); });
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
}

TEST_F(Errors, WriterMisuse) {
    VideoWriterOptions o{.width = 64, .height = 36};
    auto c = catchMedia([&] { VideoWriter w(file("odd.mp4"), {.width = 63, .height = 36}); });
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    c = catchMedia([&] { VideoWriter w(file("x.unknownext"), o); });
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    EXPECT_NE(c.message.find(".unknownext"), std::string::npos);
    c = catchMedia([&] { VideoWriter w(file("h264.webm"), o); });  // WebM holds VP8/VP9/AV1 only
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    c = catchMedia([&] { VideoWriter w(file("no_such_dir") / "x.mp4", o); });
    EXPECT_EQ(c.kind, MediaErrorKind::Write) << kindName(c);
    c = catchMedia([&] {
        auto opus = o;
        opus.audio = true;
        opus.audioCodec = AudioCodec::Opus;
        opus.sampleRate = 44100;
        VideoWriter w(file("opus44.mkv"), opus);
    });
    EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    {
        VideoWriter w(file("wrong_frame.mp4"), o);
        std::vector<std::uint8_t> small(10);
        c = catchMedia([&] { w.writeFrame(small); });
        EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
        std::vector<float> pcm(100);
        c = catchMedia([&] { w.writeAudio(pcm); });
        EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
        std::vector<std::uint8_t> frame(64 * 36 * 3, 50);
        w.writeFrame(frame);
        // Destroyed without finish(): the partial file is removed.
    }
    EXPECT_FALSE(fs::exists(file("wrong_frame.mp4")));
    {
        VideoWriter w(file("finished.mp4"), o);
        std::vector<std::uint8_t> frame(64 * 36 * 3, 50);
        for (int i = 0; i < 5; ++i) w.writeFrame(frame);
        w.finish();
        c = catchMedia([&] { w.writeFrame(frame); });
        EXPECT_EQ(c.kind, MediaErrorKind::InvalidArgument) << kindName(c);
    }
    EXPECT_EQ(probe(file("finished.mp4")).video().frames, 5);
}
