#include "core/llp_dataset.h"

#include <unordered_map>
#include <unordered_set>

#include "core/error.h"

namespace avvp::core {

std::string_view splitName(Split s) {
    switch (s) {
        case Split::Train:
            return "train";
        case Split::Val:
            return "val";
        case Split::Test:
            return "test";
    }
    return "?";
}

std::optional<Split> splitFromName(std::string_view name) {
    for (auto s : kSplits)
        if (splitName(s) == name) return s;
    return std::nullopt;
}

std::filesystem::path splitFile(const std::filesystem::path& folder, Split s) {
    switch (s) {
        case Split::Train:
            return folder / LlpFileNames::train;
        case Split::Val:
            return folder / LlpFileNames::val;
        case Split::Test:
            return folder / LlpFileNames::test;
    }
    return folder;
}

std::size_t LlpDataset::count(Split s) const {
    std::size_t n = 0;
    for (const auto& v : videos) n += v.split == s ? 1 : 0;
    return n;
}

std::vector<const LlpVideo*> LlpDataset::split(Split s) const {
    std::vector<const LlpVideo*> out;
    for (const auto& v : videos)
        if (v.split == s) out.push_back(&v);
    return out;
}

LlpDataset loadLlpFolder(const std::filesystem::path& folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        throw InputError(folder.string(), 0, "is not a folder");
    LlpDataset d;
    d.folder = folder;
    auto append = [&](std::vector<Anomaly> a) {
        d.anomalies.insert(d.anomalies.end(), std::make_move_iterator(a.begin()),
                           std::make_move_iterator(a.end()));
    };
    std::unordered_map<std::string, std::size_t> index;
    for (auto s : kSplits) {
        const auto path = splitFile(folder, s);
        if (!std::filesystem::exists(path, ec)) continue;
        auto file = readWeakLabels(path);
        d.filesRead.push_back(path.string());
        append(std::move(file.anomalies));
        for (auto& r : file.rows) {
            if (auto it = index.find(r.filename); it != index.end()) {
                // A repeat inside the same file was already reported by the reader.
                if (d.videos[it->second].split != s)
                    d.anomalies.push_back({AnomalyKind::DuplicateVideo, path.string(), r.line,
                                           r.filename + " is listed in more than one split"});
                continue;
            }
            index.emplace(r.filename, d.videos.size());
            d.videos.push_back({std::move(r.filename), s, r.classes, {}, {}});
        }
    }
    if (d.filesRead.empty())
        throw InputError(folder.string(), 0,
                         "holds none of AVVP_train.csv, AVVP_val_pd.csv, AVVP_test_pd.csv");

    // The full list must be the union of the splits; report any difference.
    const auto fullPath = folder / LlpFileNames::full;
    if (std::filesystem::exists(fullPath, ec)) {
        auto full = readWeakLabels(fullPath);
        d.filesRead.push_back(fullPath.string());
        append(std::move(full.anomalies));
        for (const auto& r : full.rows)
            if (!index.contains(r.filename))
                d.anomalies.push_back({AnomalyKind::Orphan, fullPath.string(), r.line,
                                       r.filename + " is in no split file"});
    }

    std::unordered_set<std::string> names;
    for (const auto& v : d.videos) names.insert(v.filename);
    for (const auto* which : {LlpFileNames::audio, LlpFileNames::visual}) {
        const auto path = folder / which;
        if (!std::filesystem::exists(path, ec)) continue;
        auto file = readDenseLabels(path);
        d.filesRead.push_back(path.string());
        append(std::move(file.anomalies));
        append(findOrphans(file, names));
        const bool audio = which == LlpFileNames::audio;
        (audio ? d.audioRows : d.visualRows) = file.rows.size();
        for (const auto& r : file.rows) {
            auto it = index.find(r.filename);
            if (it == index.end()) continue;
            auto& v = d.videos[it->second];
            (audio ? v.audio : v.visual).push_back({r.cls, r.onset, r.offset});
        }
    }
    return d;
}

}  // namespace avvp::core
