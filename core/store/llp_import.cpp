#include "core/store/llp_import.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/npy.h"
#include "core/quote.h"
#include "core/store/store_impl.h"

namespace avvp::store {

namespace fs = std::filesystem;

void ImportReport::merge(const ImportReport& o) {
    filesRead.insert(filesRead.end(), o.filesRead.begin(), o.filesRead.end());
    videosAdded += o.videosAdded;
    videosUpdated += o.videosUpdated;
    labelSetsChanged += o.labelSetsChanged;
    eventsImported += o.eventsImported;
    featuresRecorded += o.featuresRecorded;
    mediaMatched += o.mediaMatched;
    anomalies.insert(anomalies.end(), o.anomalies.begin(), o.anomalies.end());
}

LlpFiles LlpFiles::inFolder(const fs::path& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw core::InputError(folder.string(), 0, "is not a folder");
    LlpFiles f;
    auto pick = [&](std::optional<fs::path>& slot, const char* name) {
        if (fs::is_regular_file(folder / name, ec)) slot = folder / name;
    };
    pick(f.train, core::LlpFileNames::train);
    pick(f.val, core::LlpFileNames::val);
    pick(f.test, core::LlpFileNames::test);
    pick(f.full, core::LlpFileNames::full);
    pick(f.audio, core::LlpFileNames::audio);
    pick(f.visual, core::LlpFileNames::visual);
    if (f.empty())
        throw core::InputError(folder.string(), 0,
                               "holds none of the six LLP files (AVVP_train.csv, AVVP_val_pd.csv, "
                               "AVVP_test_pd.csv, AVVP_dataset_full.csv, AVVP_eval_audio.csv, "
                               "AVVP_eval_visual.csv)");
    return f;
}

bool LlpFiles::empty() const {
    return !train && !val && !test && !full && !audio && !visual;
}

namespace {

constexpr std::int64_t kLlpDurationMs = std::int64_t{core::kLlpSegments} * 1000;

struct Known {
    VideoId id = 0;
    std::optional<core::Split> split;
    std::string media;
    std::int64_t durationMs = 0;
};

// Every video of the store by filename.
std::unordered_map<std::string, Known> knownVideos(Store::Impl& d) {
    std::unordered_map<std::string, Known> known;
    Rows r(d.run("SELECT id, filename, split, media_path, duration_ms FROM videos"));
    while (r.next()) {
        Known k{r.i64(0), std::nullopt, r.str(3), r.isNull(4) ? 0 : r.i64(4)};
        if (!r.isNull(2)) k.split = core::splitFromName(r.str(2));
        known.emplace(r.str(1), std::move(k));
    }
    return known;
}

}  // namespace

ImportReport importLlp(Store& store, const LlpFiles& files, core::Progress* progress) {
    if (files.empty()) throw core::InputError("", 0, "no LLP file to import");
    ImportReport report;
    // Parse everything first: a malformed file stops the import before any write.
    core::step(progress, 0, "reading files");
    std::array<std::optional<core::WeakLabelFile>, 3> splits;
    const std::array<const std::optional<fs::path>*, 3> splitPaths = {&files.train, &files.val,
                                                                      &files.test};
    for (std::size_t i = 0; i < 3; ++i)
        if (*splitPaths[i]) splits[i] = core::readWeakLabels(**splitPaths[i]);
    std::optional<core::WeakLabelFile> full;
    if (files.full) full = core::readWeakLabels(*files.full);
    std::array<std::optional<core::DenseLabelFile>, 2> dense;
    if (files.audio) dense[0] = core::readDenseLabels(*files.audio);
    if (files.visual) dense[1] = core::readDenseLabels(*files.visual);
    core::step(progress, 1, "reading files");

    auto& d = store.impl();
    Store::Transaction tx(store);
    auto known = knownVideos(d);
    std::unordered_map<VideoId, core::ClassSet> weak;
    {
        Rows r(d.run("SELECT video_id, class_id FROM weak_labels"));
        while (r.next()) weak[r.i64(0)] |= core::ClassSet{1} << r.i32(1);
    }
    std::unordered_set<VideoId> updated;
    // Straight inserts for what is new (the maps above say what the store holds): far
    // fewer statements than Store::ensureVideo / setWeakLabels, which look first.
    const auto now = nowMs();
    auto ensure = [&](const std::string& name, std::optional<core::Split> split) -> VideoId {
        auto it = known.find(name);
        if (it == known.end()) {
            auto& q = d.run(
                "INSERT INTO videos(filename, split, duration_ms, added_at) VALUES(?, ?, ?, ?)",
                name, split ? std::optional<std::string>(core::splitName(*split)) : std::nullopt,
                kLlpDurationMs, now);
            const VideoId id = q.lastInsertId().toLongLong();
            ++report.videosAdded;
            known.emplace(name, Known{id, split, {}, kLlpDurationMs});
            return id;
        }
        if (split && it->second.split != split) {
            store.ensureVideo({name, split, 0, {}});
            it->second.split = split;
            updated.insert(it->second.id);
        }
        return it->second.id;
    };
    auto setWeak = [&](VideoId id, core::ClassSet set) {
        const auto it = weak.find(id);
        if (it == weak.end() ? set == 0 : it->second == set) return;
        if (it != weak.end()) {
            d.run("DELETE FROM weak_labels WHERE video_id = ?", id);
            updated.insert(id);
        }
        for (int c = 0; c < core::kNumClasses; ++c)
            if (core::hasClass(set, c))
                d.run("INSERT INTO weak_labels(video_id, class_id) VALUES(?, ?)", id, c);
        weak[id] = set;
    };
    auto take = [&](std::vector<core::Anomaly>& from) {
        report.anomalies.insert(report.anomalies.end(), std::make_move_iterator(from.begin()),
                                std::make_move_iterator(from.end()));
    };

    std::size_t totalRows = 0, done = 0;
    for (const auto& s : splits) totalRows += s ? s->rows.size() : 0;
    std::unordered_map<std::string, core::Split> assigned;  // by this import
    for (std::size_t i = 0; i < 3; ++i) {
        if (!splits[i]) continue;
        auto& file = *splits[i];
        report.filesRead.push_back(file.path);
        take(file.anomalies);
        const auto split = core::kSplits[i];
        for (const auto& row : file.rows) {
            if (++done % 2048 == 0)
                core::step(progress, static_cast<double>(done) / static_cast<double>(totalRows),
                           "videos");
            const auto [it, fresh] = assigned.emplace(row.filename, split);
            if (!fresh) {
                // A repeat inside one file was reported by the reader; the first listing wins.
                if (it->second != split)
                    report.anomalies.push_back(
                        {core::AnomalyKind::DuplicateVideo, file.path, row.line,
                         core::quote(row.filename) + " is listed in more than one split"});
                continue;
            }
            setWeak(ensure(row.filename, split), row.classes);
        }
    }
    if (full) {
        report.filesRead.push_back(full->path);
        take(full->anomalies);
        const bool splitsGiven = !assigned.empty();
        for (const auto& row : full->rows) {
            if (assigned.contains(row.filename)) continue;  // its split file gave its labels
            if (splitsGiven) {
                report.anomalies.push_back({core::AnomalyKind::Orphan, full->path, row.line,
                                            core::quote(row.filename) + " is in no split file"});
                continue;
            }
            setWeak(ensure(row.filename, std::nullopt), row.classes);
        }
    }
    core::step(progress, 1, "videos");

    std::unordered_set<std::string> names;
    for (const auto& [name, k] : known) names.insert(name);
    for (auto m : core::kModalities) {
        auto& file = dense[static_cast<std::size_t>(m)];
        if (!file) continue;
        report.filesRead.push_back(file->path);
        take(file->anomalies);
        auto orphans = core::findOrphans(*file, names);
        take(orphans);
        // A dense file is the whole ground truth of the val / test videos it covers: those
        // of this import's split files when it has some (so importing another dataset
        // into a store leaves the other videos' labels alone), else all of the store's.
        std::map<VideoId, std::vector<NewEvent>> byVideo;
        for (const auto& v : known)
            if ((v.second.split == core::Split::Val || v.second.split == core::Split::Test) &&
                (assigned.empty() || assigned.contains(v.first)))
                byVideo[v.second.id];
        for (const auto& row : file->rows) {
            const auto it = known.find(row.filename);
            if (it == known.end()) continue;
            auto& list = byVideo[it->second.id];
            if (row.offset <= row.onset) continue;  // reported by the reader; adds nothing
            list.push_back(
                {m, row.cls, std::int64_t{row.onset} * 1000, std::int64_t{row.offset} * 1000});
        }
        std::size_t k = 0;
        const auto stage = std::string(core::modalityName(m)) + " events";
        for (const auto& [id, events] : byVideo) {
            if (++k % 512 == 0)
                core::step(progress, static_cast<double>(k) / static_cast<double>(byVideo.size()),
                           stage);
            if (store.replaceEvents(id, m, Source::GroundTruth, events)) ++report.labelSetsChanged;
            report.eventsImported += static_cast<std::int64_t>(events.size());
        }
        core::step(progress, 1, stage);
    }
    report.videosUpdated = static_cast<std::int64_t>(updated.size());
    if (report.videosAdded > 0 || !updated.empty()) d.changed({.videos = true});
    tx.commit();
    return report;
}

namespace {

// The video id and window of a windowed feature file's stem "<id>_<10 w>_<10 w + 10>".
std::optional<std::pair<std::string, int>> windowOf(const std::string& stem) {
    const auto b = stem.rfind('_');
    if (b == std::string::npos || b == 0) return std::nullopt;
    const auto a = stem.rfind('_', b - 1);
    if (a == std::string::npos || a == 0) return std::nullopt;
    auto number = [](std::string_view t) -> std::optional<long> {
        if (t.empty() || t.size() > 9) return std::nullopt;
        long v = 0;
        for (char c : t) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    const auto start = number(std::string_view(stem).substr(a + 1, b - a - 1));
    const auto end = number(std::string_view(stem).substr(b + 1));
    if (!start || !end || *start % core::kWindowSegments != 0 ||
        *end != *start + core::kWindowSegments)
        return std::nullopt;
    return std::make_pair(stem.substr(0, a), static_cast<int>(*start / core::kWindowSegments));
}

}  // namespace

ImportReport importFeatures(Store& store, const fs::path& root, core::Progress* progress) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw core::InputError(root.string(), 0, "is not a folder");
    ImportReport report;
    core::step(progress, 0, "listing features");
    std::map<std::string, std::vector<fs::path>> byKind;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= 3) it.disable_recursion_pending();
        if (!it->is_regular_file() || it->path().extension() != ".npy") continue;
        const auto kind = fs::relative(it->path().parent_path(), root).generic_string();
        if (kind == ".") continue;  // files directly under root belong to no kind
        byKind[kind].push_back(it->path());
    }
    if (ec) throw core::InputError(root.string(), 0, "cannot list the folder: " + ec.message());
    if (byKind.empty())
        throw core::InputError(
            root.string(), 0, "holds no .npy features in VALOR's layout (<kind>/<11-char id>.npy)");
    // Read every header before writing: a malformed file leaves the store unchanged.
    std::size_t total = 0, done = 0;
    for (auto& [kind, paths] : byKind) {
        std::sort(paths.begin(), paths.end());
        total += paths.size();
    }
    std::map<std::string, std::vector<std::pair<fs::path, core::NpyHeader>>> headers;
    for (const auto& [kind, paths] : byKind)
        for (const auto& p : paths) {
            if (++done % 1024 == 0)
                core::step(progress, static_cast<double>(done) / static_cast<double>(total),
                           "reading .npy headers");
            headers[kind].emplace_back(fs::absolute(p), core::readNpyHeader(p));
        }
    core::step(progress, 1, "reading .npy headers");

    auto& d = store.impl();
    Store::Transaction tx(store);
    std::unordered_map<std::string, std::vector<VideoId>> byId;
    std::int64_t videos = 0;
    {
        Rows r(d.run("SELECT id, filename FROM videos"));
        while (r.next()) {
            const auto name = r.str(1);
            byId[std::string(core::featureId(name))].push_back(r.i64(0));
            if (name.size() != 11) byId[name].push_back(r.i64(0));
            ++videos;
        }
    }
    for (const auto& [kind, files] : headers) {
        std::unordered_set<VideoId> covered;
        // Windows of a video longer than 10 s (`avvp features`, Extract Features):
        // <id>_0_10.npy, <id>_10_20.npy, ... recorded as window 0's file with the shape
        // {windows, rows, dim} (core/features.h).
        std::map<std::string, std::map<int, std::pair<fs::path, core::NpyHeader>>> windowed;
        for (const auto& [path, header] : files) {
            const auto stem = path.stem().string();
            const auto it = byId.find(stem);
            if (it == byId.end()) {
                if (const auto w = windowOf(stem); w && byId.contains(w->first)) {
                    windowed[w->first].emplace(w->second, std::make_pair(path, header));
                    continue;
                }
                report.anomalies.push_back({core::AnomalyKind::Orphan, path.string(), 0,
                                            "feature file names no video of the store"});
                continue;
            }
            for (auto id : it->second) {
                store.setFeature(id, {kind, path.string(), header.shape});
                covered.insert(id);
                ++report.featuresRecorded;
            }
        }
        for (const auto& [base, windows] : windowed) {
            const auto& first = windows.begin()->second;
            const int count = static_cast<int>(windows.size());
            std::string problem;
            if (windows.begin()->first != 0 || windows.rbegin()->first != count - 1)
                problem = "its windows are not 0.." + std::to_string(count - 1) +
                          " (a window file is missing)";
            for (const auto& [w, file] : windows)
                if (problem.empty() && file.second.shape != first.second.shape)
                    problem = "window " + std::to_string(w) + " has another shape than window 0";
            if (!problem.empty()) {
                report.anomalies.push_back({core::AnomalyKind::Missing, first.first.string(), 0,
                                            "the " + core::quote(kind) + " features of " +
                                                core::quote(base) +
                                                " are not recorded: " + problem});
                continue;
            }
            std::vector<std::int64_t> shape = {count};
            shape.insert(shape.end(), first.second.shape.begin(), first.second.shape.end());
            for (auto id : byId.at(base)) {
                if (covered.contains(id)) continue;  // a whole-video file was there too
                store.setFeature(id, {kind, first.first.string(), shape});
                covered.insert(id);
                ++report.featuresRecorded;
            }
        }
        report.filesRead.push_back((root / kind).string());
        if (static_cast<std::int64_t>(covered.size()) < videos)
            report.anomalies.push_back(
                {core::AnomalyKind::Missing, (root / kind).string(), 0,
                 std::to_string(videos - static_cast<std::int64_t>(covered.size())) + " of " +
                     std::to_string(videos) + " videos have no " + core::quote(kind) +
                     " feature file"});
    }
    tx.commit();
    return report;
}

std::int64_t mediaDurationMs(const Video& video, std::int64_t probedMs) {
    if (probedMs <= 0) return 0;
    if (video.isLlpClip() && probedMs <= core::kLlpClipMs + core::kLlpClipToleranceMs)
        return core::kLlpClipMs;
    return probedMs;
}

ImportReport importMedia(Store& store, const fs::path& folder, bool addVideos,
                         core::Progress* progress, const MediaProbe& probe) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw core::InputError(folder.string(), 0, "is not a folder");
    ImportReport report;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        if (!entry.is_regular_file()) continue;
        auto ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        // ".part.mp4": a file still being written (rendered videos are renamed when whole).
        if ((ext == ".mp4" || ext == ".mkv" || ext == ".webm") &&
            entry.path().stem().extension() != ".part")
            files.push_back(fs::absolute(entry.path()));
    }
    if (ec) throw core::InputError(folder.string(), 0, "cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end());
    auto& d = store.impl();

    // The store videos each file names (by the full filename or the 11-char id).
    std::unordered_map<std::string, Known> known;
    std::unordered_map<std::string, std::vector<std::string>> byId;
    auto readKnown = [&] {
        known = knownVideos(d);
        byId.clear();
        for (const auto& [name, k] : known)
            byId[std::string(core::featureId(name))].push_back(name);
    };
    auto namesOf = [&](const fs::path& path) {
        const auto stem = path.stem().string();
        std::vector<std::string> names;
        if (known.contains(stem))
            names.push_back(stem);
        else if (const auto it = byId.find(stem); it != byId.end() && stem.size() == 11)
            names = it->second;
        return names;
    };
    // A file needs probing when it adds a video, is linked anew (relinked) or a video it
    // names has no duration yet; a file already linked to videos of known length is not
    // read again.
    auto needsProbe = [&](const fs::path& path) {
        const auto names = namesOf(path);
        if (names.empty()) return addVideos;
        for (const auto& name : names) {
            const auto& k = known.at(name);
            if (k.media != path.string() || k.durationMs <= 0) return true;
        }
        return false;
    };

    // Probe first, outside the write transaction (reading media takes a while; the
    // store stays writable meanwhile). A file that cannot be read as media is refused.
    std::unordered_map<std::string, std::int64_t> probed;
    std::unordered_map<std::string, std::string> refused;
    if (probe) {
        {
            ReadScope read(d);
            readKnown();
        }
        std::vector<fs::path> toProbe;
        for (const auto& path : files)
            if (needsProbe(path)) toProbe.push_back(path);
        for (std::size_t i = 0; i < toProbe.size(); ++i) {
            core::step(
                progress, 0.9 * static_cast<double>(i) / static_cast<double>(toProbe.size()),
                "reading video " + std::to_string(i + 1) + " of " + std::to_string(toProbe.size()));
            const auto& path = toProbe[i];
            try {
                probed[path.string()] = std::max<std::int64_t>(0, probe(path));
            } catch (const core::Cancelled&) {
                throw;
            } catch (const core::InputError& e) {
                refused[path.string()] = e.reason();  // the file is named by the anomaly
            } catch (const std::exception& e) {
                refused[path.string()] = e.what();
            }
        }
    }

    Store::Transaction tx(store);
    readKnown();
    std::size_t done = 0;
    for (const auto& path : files) {
        if (++done % 256 == 0)
            core::step(progress,
                       0.9 + 0.1 * static_cast<double>(done) / static_cast<double>(files.size()),
                       "videos");
        const auto stem = path.stem().string();
        const auto names = namesOf(path);
        if (names.empty() && !addVideos) {
            report.anomalies.push_back({core::AnomalyKind::Orphan, path.string(), 0,
                                        "video file names no video of the store"});
            continue;
        }
        // The file's duration: probed above, or now when the store changed meanwhile.
        std::optional<std::int64_t> durationMs;
        if (probe && needsProbe(path)) {
            if (const auto r = refused.find(path.string()); r != refused.end()) {
                report.anomalies.push_back(
                    {core::AnomalyKind::Refused, path.string(), 0, "not imported: " + r->second});
                continue;
            }
            if (const auto it = probed.find(path.string()); it != probed.end()) {
                durationMs = it->second;
            } else {
                try {
                    durationMs = std::max<std::int64_t>(0, probe(path));
                } catch (const core::Cancelled&) {
                    throw;
                } catch (const core::InputError& e) {
                    report.anomalies.push_back({core::AnomalyKind::Refused, path.string(), 0,
                                                "not imported: " + e.reason()});
                    continue;
                } catch (const std::exception& e) {
                    report.anomalies.push_back({core::AnomalyKind::Refused, path.string(), 0,
                                                std::string("not imported: ") + e.what()});
                    continue;
                }
            }
        }
        if (names.empty()) {
            Video added;
            added.filename = stem;
            const auto ms = durationMs ? mediaDurationMs(added, *durationMs) : 0;
            const auto id = store.ensureVideo({stem, std::nullopt, ms, path.string()});
            known.emplace(stem, Known{id, std::nullopt, path.string(), ms});
            byId[std::string(core::featureId(stem))].push_back(stem);
            ++report.videosAdded;
            ++report.mediaMatched;
            continue;
        }
        for (const auto& name : names) {
            auto& k = known[name];
            ++report.mediaMatched;
            Video v;
            v.filename = name;
            v.split = k.split;
            std::int64_t ms = durationMs ? mediaDurationMs(v, *durationMs) : 0;
            if (ms <= 0) ms = k.durationMs;  // unknown to the probe: keeps its known length
            if (k.media == path.string() && ms == k.durationMs) continue;
            store.setMedia(k.id, path.string(), ms);
            k.media = path.string();
            if (ms > 0) k.durationMs = ms;
            ++report.videosUpdated;
        }
    }
    report.filesRead.push_back(folder.string());
    std::int64_t without = 0;
    for (const auto& [name, k] : known) without += k.media.empty() ? 1 : 0;
    if (without > 0)
        report.anomalies.push_back({core::AnomalyKind::Missing, folder.string(), 0,
                                    std::to_string(without) + " of " +
                                        std::to_string(known.size()) +
                                        " videos of the store have no video file"});
    core::step(progress, 1, "videos");
    tx.commit();
    return report;
}

// ---- Ground truth an import removes -------------------------------------------------------

GroundTruthSnapshot snapshotGroundTruth(const Store& store) {
    GroundTruthSnapshot snap;
    for (const auto& e : store.events(EventFilter{.source = Source::GroundTruth}))
        snap.events[{e.video, static_cast<int>(e.modality)}].emplace_back(e.cls, e.onsetMs,
                                                                          e.offsetMs);
    for (auto& [key, list] : snap.events) std::sort(list.begin(), list.end());
    return snap;
}

GroundTruthRemoval groundTruthRemoved(const Store& store, const GroundTruthSnapshot& before,
                                      std::size_t maxVideos) {
    const auto after = snapshotGroundTruth(store);
    GroundTruthRemoval r;
    std::optional<VideoId> last;
    for (const auto& [key, was] : before.events) {
        static const std::vector<std::tuple<int, std::int64_t, std::int64_t>> kNone;
        const auto it = after.events.find(key);
        const auto& now = it == after.events.end() ? kNone : it->second;
        std::vector<std::tuple<int, std::int64_t, std::int64_t>> gone;
        std::set_difference(was.begin(), was.end(), now.begin(), now.end(),
                            std::back_inserter(gone));
        if (gone.empty()) continue;
        r.events[static_cast<std::size_t>(key.second)] += static_cast<std::int64_t>(gone.size());
        if (last == key.first) continue;  // the map is ordered by video, then modality
        last = key.first;
        ++r.videos;
        if (r.firstVideos.size() < maxVideos) {
            const auto v = store.video(key.first);
            r.firstVideos.push_back(v ? v->filename : std::to_string(key.first));
        }
    }
    return r;
}

std::string GroundTruthRemoval::text() const {
    std::string out = std::to_string(events[0]) + " audio and " + std::to_string(events[1]) +
                      " visual ground-truth event" + (events[0] + events[1] == 1 ? "" : "s") +
                      " of " + std::to_string(videos) + " video" + (videos == 1 ? "" : "s");
    if (firstVideos.empty()) return out;
    out += " (";
    for (std::size_t i = 0; i < firstVideos.size(); ++i)
        out += (i ? ", " : "") + core::quote(firstVideos[i], 40);
    if (static_cast<std::int64_t>(firstVideos.size()) < videos) out += ", ...";
    return out + ")";
}

}  // namespace avvp::store
