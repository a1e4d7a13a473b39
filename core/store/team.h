#pragma once
// Working together on one store (a team store on PostgreSQL, or one SQLite file that
// several people open): who else is editing a video right now.
#include <cstdint>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace avvp::store {

// The other annotators (not store.annotator()) whose edits of the last `withinMs`
// milliseconds touched an event of `video`, in name order: the notice "someone else is
// editing this video".
std::vector<std::string> othersEditing(Store& store, VideoId video, std::int64_t withinMs);

}  // namespace avvp::store
