#pragma once
// Dense label rows grouped by video, for the per-video grids of agreement and run
// comparison.
#include <string>
#include <unordered_map>
#include <vector>

#include "core/llp_files.h"

namespace avvp::core {

// The rows of each named video, in `videos` order (rows of other videos are dropped).
inline std::vector<std::vector<DenseLabelRow>> rowsByVideo(const std::vector<std::string>& videos,
                                                           const std::vector<DenseLabelRow>& rows) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < videos.size(); ++i) index.emplace(videos[i], i);
    std::vector<std::vector<DenseLabelRow>> out(videos.size());
    for (const auto& r : rows)
        if (const auto it = index.find(r.filename); it != index.end()) out[it->second].push_back(r);
    return out;
}

}  // namespace avvp::core
