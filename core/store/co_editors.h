#pragma once
// Who else is editing a video, and when they last did (issue 18, item 5: the notice
// "Also editing this video: NAME (2 min ago)"): each other annotator with their latest
// edit of the video (othersEditing in team.h gives only the names).
#include <cstdint>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace avvp::store {

struct CoEditor {
    std::string annotator;
    Timestamp lastEditAt = 0;  // ms since the epoch, the store's clock (edits.at)
    bool operator==(const CoEditor&) const = default;
};

// The other annotators (not store.annotator()) whose edits since `nowMs - withinMs` touched
// an event of `video` (before or after the edit), the most recent first (then by name).
// Undone edits count too: an undo is someone at work on the video.
std::vector<CoEditor> coEditors(Store& store, VideoId video, std::int64_t withinMs);

}  // namespace avvp::store
