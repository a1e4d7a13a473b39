#include "core/store/team.h"

#include <algorithm>

#include "core/store/co_editors.h"

namespace avvp::store {

std::vector<std::string> othersEditing(Store& store, VideoId video, std::int64_t withinMs) {
    std::vector<std::string> names;
    for (const auto& e : coEditors(store, video, withinMs)) names.push_back(e.annotator);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace avvp::store
