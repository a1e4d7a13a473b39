#pragma once
// Helpers of the GUI tests: a scratch store (empty, or with the real LLP annotation files
// imported), a small SYNTHETIC video rendered from labels, and waiting for a condition
// while the event loop runs.
#include <filesystem>

#include "core/media/label_video.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "tests/workspace/workspace_test_util.h"

namespace avvp::ui::test {

using workspace::test::kLlp;
using workspace::test::kSource;
using workspace::test::ScratchDir;
using workspace::test::waitFor;

// Every GUI test: no audio device attempts unless a test asks, settings in test mode.
inline void initGuiTest(const char* name) {
    workspace::test::initTest(name);
    qputenv("AVVP_NO_AUDIO", "1");
}

// A store with the LLP annotation files imported (~0.3 s).
inline void importLlpInto(const std::filesystem::path& store) {
    auto s = store::Store::open(store);
    store::importLlp(*s, store::LlpFiles::inFolder(kLlp));
}

// A 2 s 160 x 90 SYNTHETIC video of these events.
inline void renderTinyVideo(const std::filesystem::path& file,
                            const std::vector<media::LabelSpan>& events, double seconds = 2.0) {
    media::LabelVideoOptions o;
    o.width = 160;
    o.height = 90;
    o.frameRate = 10;
    media::renderLabelVideo(file, events, seconds, o);
}

}  // namespace avvp::ui::test
