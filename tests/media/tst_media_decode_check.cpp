// Decoding a whole file to check it (core/media/decode_check.h): bounded memory whatever
// the duration (issue 19, item 3), and the decoded fraction of a damaged file (item 7).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>

#include "core/media/decode_check.h"
#include "tests/media/media_test_util.h"

using namespace avvp;
using avvp::test::ffmpeg;
using avvp::test::shellQuote;
using avvp::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A tiny silent video: 64 x 48 black at 8 fps, 16 kHz mono AAC silence.
void renderSilent(const fs::path& out, int seconds) {
    ASSERT_EQ(ffmpeg("-f lavfi -i color=c=black:s=64x48:r=8 -f lavfi -i anullsrc=r=16000:cl=mono "
                     "-t " +
                     std::to_string(seconds) + " -c:v libx264 -preset ultrafast -c:a aac " +
                     shellQuote(out.string())),
              0);
}

// Peak resident memory (KiB) of a child process that runs checkDecode on `file`; -1 when
// the child failed.
long childPeakKiB(const fs::path& file, double seconds) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        int code = 0;
        try {
            const auto c = media::checkDecode(media::probe(file));
            code = std::abs(c.audioSeconds - seconds) < 0.1 ? 0 : 3;
        } catch (...) {
            code = 4;
        }
        ::_exit(code);
    }
    int status = 0;
    rusage ru{};
    if (pid < 0 || ::wait4(pid, &status, 0, &ru) != pid) return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return ru.ru_maxrss;
}

}  // namespace

TEST(DecodeCheck, MemoryDoesNotGrowWithTheDuration) {
    TempDir dir("decode_check_memory");
    renderSilent(dir / "short.mp4", 60);
    renderSilent(dir / "long.mp4", 240);
    // In child processes, before this process decodes anything itself.
    const long shortPeak = childPeakKiB(dir / "short.mp4", 60.0);
    const long longPeak = childPeakKiB(dir / "long.mp4", 240.0);
    ASSERT_GT(shortPeak, 0);
    ASSERT_GT(longPeak, 0);
    // 180 s more of 48 kHz float audio is 34 MB; kept in memory it would show here.
    EXPECT_LT(longPeak - shortPeak, 8 * 1024)
        << "peak RSS " << shortPeak << " KiB for 60 s, " << longPeak << " KiB for 240 s";

    const auto s = media::checkDecode(media::probe(dir / "short.mp4"));
    const auto l = media::checkDecode(media::probe(dir / "long.mp4"));
    EXPECT_EQ(s.videoFrames, 480);
    EXPECT_EQ(l.videoFrames, 1920);
    EXPECT_NEAR(l.audioSeconds, 240.0, 0.1);
    EXPECT_EQ(l.decodeErrors, 0);
    EXPECT_DOUBLE_EQ(l.decodedFraction(), 1.0);
    // The audio decoder's own buffer: a few codec frames, not the duration.
    EXPECT_GT(l.peakBufferedAudio, 0u);
    EXPECT_LT(l.peakBufferedAudio, 48000u);  // under one second
    EXPECT_LE(l.peakBufferedAudio, 2 * s.peakBufferedAudio);
}
