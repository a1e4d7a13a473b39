// The `avvp` commands that work on a label store: import, export, eval --store and store.
// They need Qt Sql, so they live in libavvp_store_cli.so, which the CLI opens only when
// one of them runs (`avvp eval` on CSV files never loads Qt). `import --videos` reads
// each video's duration with the media engine (FFmpeg), which the plugin links too.
#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "app/cli/cli_output.h"
#include "app/cli/options.h"
#include "app/cli/store_guard.h"
#include "app/common/paths.h"
#include "core/average_precision.h"
#include "core/calibration.h"
#include "core/error.h"
#include "core/eval_report.h"
#include "core/evaluation.h"
#include "core/formats/label_io.h"
#include "core/media/media_info.h"
#include "core/progress.h"
#include "core/quote.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"
#include "core/store/pg_dialect.h"
#include "core/store/run_rename.h"
#include "core/store/run_thresholds.h"
#include "core/store/store.h"
#include "core/store/store_copy.h"
#include "core/store/store_evaluation.h"

namespace fs = std::filesystem;

namespace avvp::app {

namespace {

constexpr const char* kStoreOption =
    R"(  --store PATH       the label store      [default: $AVVP_STORE, else
                     $XDG_DATA_HOME/avvp-studio/default.avvpstore])";

const std::string kImportUsage =
    std::string(R"(usage: avvp import [--store PATH] [--llp DIR] [LLP files] [--features DIR]
                   [--videos DIR [--add-videos]] [--format FMT FILE|DIR ...] [options]

Imports into the label store (created when missing), in one transaction: a malformed
file (named with its line) leaves the store unchanged, and importing the same data again
changes nothing.

LLP data:
  --llp DIR          the six LLP annotation files found in DIR (any subset)
  --train F, --val F, --test F, --full F
                     split files (filename, event_labels): videos, splits, weak labels
  --gt-audio F, --gt-visual F
                     dense ground truth (filename, onset, offset, event_labels)
  --features DIR     feature folder in VALOR's layout (<kind>/<11-char id>.npy): records
                     which videos have which features, with their shapes
  --videos DIR       videos named <id>.mp4|mkv|webm (the 11-char id or the LLP filename);
                     each gets its real duration from the file (LLP clips stay 10 s);
                     a file that is no readable video is refused and reported
  --add-videos       add videos the store does not know (the user's own) instead of
                     reporting them
Label files of any format:
  --format FMT       llp | dcase | eaf | textgrid | audacity | json; the files or folders
                     follow as arguments
  --as SOURCE        what they are: gt | prediction | correction          [default: gt;
                     json events keep the source, run and annotator they name unless
                     --as is given]
  --run NAME         predictions: their model run (created when missing)
  --annotator NAME   corrections: whose; also who edits         [default: $USER]
  --modality M       audio | visual, for dcase / llp / audacity files whose name says
                     neither
  --replace          allow the import to delete ground-truth events: dense LLP files and
                     ground-truth label files replace the ground truth of every video (and
                     modality) they cover, so a header-only or truncated file deletes it.
                     Without --replace such an import changes nothing, lists what it would
                     delete and exits 2
Output:
  --report FILE      every tolerated anomaly as TSV (kind, file, line, detail)
  --quiet            no summary, no progress
)") +
    kStoreOption + R"(

Exit codes: 0 imported, 2 bad input or usage (one line on stderr names file:line and why)
or a store the user may not write, 1 a database failure.
)";

const std::string kExportUsage =
    std::string(R"(usage: avvp export --format FMT --out PATH [--store PATH] [options]

Writes labels of the store in a file format:
  llp       OUT/AVVP_eval_audio.csv, AVVP_eval_visual.csv (integer seconds: onsets rounded
            down, offsets up) and the split files AVVP_<split>.csv, AVVP_dataset_full.csv
  dcase     OUT/audio.tsv, OUT/visual.tsv (filename, onset, offset, event_label)
  eaf       OUT/<video>.eaf: ELAN, a tier per modality x class, the 25 classes as
            controlled vocabulary
  textgrid  OUT/<video>.TextGrid: Praat, a tier per modality x class covering the video
  audacity  OUT/<video>.audio.txt, OUT/<video>.visual.txt: Audacity label tracks
  json      OUT (a file): everything, with provenance

options:
  --source S         gt | prediction | correction | final | all (json only) [default: gt]
                     final: the ground truth with the accepted corrections applied (every
                     correction but one accepted from a prediction now marked rejected)
  --run NAME         predictions of this run        [default: the only run, if one]
  --annotator NAME   corrections of this annotator                   [default: everyone's]
  --split S          train | val | test                                [default: all videos]
  --video NAMES      only these videos (comma-separated)
  --omit-empty-tiers eaf, textgrid: only the tiers that hold events (a modality covered
                     without events keeps one empty tier named audio or visual)
  --weak W           llp: events (the weak-label files list the classes of the exported
                     events) | stored (the store's weak labels)
                     [default: stored for gt, events for the other sources]
  --quiet            no summary, no progress
)") +
    kStoreOption + R"(

Exit codes: 0 written, 2 bad input or usage, 1 a database failure.
)";

const std::string kEvalUsage =
    std::string(
        R"(usage: avvp eval --store PATH [--source prediction|correction] [--run NAME] [options]

Scores a prediction set (a model run) or a correction set of the store against the
store's ground truth with the AVVP protocol (see avvp eval --help): every video of the
split in import order; events widened to whole seconds (onset down, offset up). Each
video is scored over its own one-second segments (10 for LLP clips); a set holding a
video of another length is scored under the protocol named "any length" in the output.

options:
  --source S         prediction | correction                      [default: prediction]
  --run NAME         the run whose predictions [default: the only run, if one]
  --annotator NAME   only this annotator's corrections            [default: everyone's]
  --split S          train | val | test | all (every video, also the user's own)
                                                                        [default: test]
  --video NAMES      only these videos (comma-separated), whatever their split
  --format F         text | tsv | json                                  [default: text]
  --per-video FILE   also write each video's ten scores (TSV)
  --per-class FILE   also write per class F and TP/FP/FN counts (TSV)
  --covered-only     score over the videos the set covers alone (a run's videos with
                     predictions, the corrected videos); without it every video of the
                     split is scored and one the set left out counts as labelled empty.
                     Either way a line says how many of the split the set covers.
  --save             record the scores in the store's evaluations table (without it,
                     the store is only read: a read-only store works)
  --thresholds F     score the run's stored probabilities thresholded with the
                     thresholds file F (avvp calibrate) instead of its stored events;
                     the report names the thresholds it used (tsv: a last column)
  --ap               threshold-free instead: per-class average precision of the run's
                     probabilities at segment level (audio, visual, audio-visual; AP as
                     scikit-learn's average_precision_score), over the split's videos
                     with probabilities and ground truth
  --pr-tsv FILE      with --ap: every precision-recall curve (TSV)
  --pr-figure F.svg  with --ap: the pooled precision-recall curve per modality (SVG)
)") +
    kStoreOption + R"(

Exit codes: 0 scored, 2 bad input or usage (or --save on a read-only store), 1 a database
failure.
)";

const std::string kStoreUsage = std::string(R"(usage: avvp store info|check [--store PATH]
       avvp store copy FROM TO [--replace] [--quiet]

  info     what the store holds: videos per split, events per source, runs, edits
  check    PRAGMA integrity_check (exit code 1 unless "ok"; on PostgreSQL, consistency
           queries)
  copy     copies the whole project FROM one store TO another, SQLite file or
           PostgreSQL URL in any direction, losslessly (videos, labels, events with their
           ids and provenance, the edit history, models, runs, probabilities, outputs,
           evaluations, review tables); refuses a TO that holds data (exit 2) unless
           --replace (then TO's contents go, in the same transaction); progress on stderr

info and check only read: a store the user may not write works (with a note on stderr).
A store is a file path or a PostgreSQL URL, postgresql://user[:password]@host:port/db
(the password is never printed).
)") + kStoreOption + "\n";

const std::string kRunsUsage = std::string(R"(usage: avvp runs list|rename [--store PATH] [OLD NEW]

  list           each model run of the store, one a line: its name, frame threshold and
                 global threshold, tab-separated
  rename OLD NEW gives the run named OLD the name NEW (surrounding blanks removed); an
                 empty NEW or one another run has is refused and nothing changes
)") + kStoreOption + R"(
Exit codes: 0 done, 2 bad input or usage (no run OLD, NEW refused, a read-only store), 1 a
database failure.
)";

// Every command's --store goes through here: a PostgreSQL URL is a team store; a value
// with another URL scheme ("file://...") is refused before anything is created
// (storeUrlProblem).
fs::path storePath(const Options& o) {
    if (!o.has("store")) return defaultStorePath();
    const auto value = o.require("store");
    if (const auto problem = storeUrlProblem(value); !problem.empty()) throw UsageError(problem);
    return value;
}

// A store file that this command creates, removed again unless the command succeeds
// (keep()): with SQLite's side files and the folders created for it, so that a failed
// import into a new path leaves nothing behind. An existing store is never touched here
// (a failed command rolls its transaction back). Declare it before the store, so that the
// store is closed first.
class NewStoreGuard {
  public:
    explicit NewStoreGuard(fs::path path) : path_(std::move(path)) {
        std::error_code ec;
        // A PostgreSQL URL names no file: the database itself is never removed.
        fresh_ =
            !store::isPostgresUrl(path_.native()) && !fs::exists(fs::symlink_status(path_, ec));
        if (!fresh_) return;
        for (auto p = path_.parent_path(); !p.empty() && !fs::exists(p, ec); p = p.parent_path())
            topFolder_ = p;
    }
    NewStoreGuard(const NewStoreGuard&) = delete;
    NewStoreGuard& operator=(const NewStoreGuard&) = delete;
    ~NewStoreGuard() {
        if (!fresh_) return;
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(fs::path(path_.string() + suffix), ec);
        if (topFolder_.empty()) return;
        for (auto p = path_.parent_path(); !p.empty(); p = p.parent_path()) {
            if (!fs::remove(p, ec)) break;  // not empty (or not ours): stop
            if (p == topFolder_) break;
        }
    }
    void keep() { fresh_ = false; }

  private:
    fs::path path_, topFolder_;
    bool fresh_ = false;
};

// Writes the label files into a temporary folder beside `out` and moves them onto their
// targets only once every one is written and on disk (fsync): a failure (a full disk)
// leaves no partial file, and the files already at the target stay as they were. The
// temporary folder is removed in every case.
core::LabelWriteResult writeLabelFilesSafely(core::LabelFormat format,
                                             const core::LabelDocument& doc, fs::path out,
                                             core::Progress* progress,
                                             const core::LabelWriteOptions& options = {}) {
    if (!out.has_filename()) out = out.parent_path();
    const auto parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(parent, ec);
    std::string temp = (parent / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
    if (::mkdtemp(temp.data()) == nullptr)
        throw core::InputError(out.string(), 0, "cannot write beside it (a temporary folder)");
    struct Cleanup {
        fs::path folder;
        ~Cleanup() {
            std::error_code e;
            fs::remove_all(folder, e);
        }
    } cleanup{temp};
    const fs::path staged = fs::path(temp) / out.filename();
    auto result = core::writeLabelFiles(format, doc, staged, progress, options);
    for (const auto& f : result.files) {
        const int fd = ::open(f.c_str(), O_RDONLY);
        const bool synced = fd >= 0 && ::fsync(fd) == 0;
        if (fd >= 0) ::close(fd);
        if (!synced)
            throw core::InputError(out.string(), 0, "write error (disk full?); nothing written");
    }
    if (format == core::LabelFormat::Json) {
        if (::rename(staged.c_str(), out.c_str()) != 0)
            throw core::InputError(out.string(), 0, "cannot replace the file");
        result.files = {out};
        return result;
    }
    fs::create_directories(out, ec);
    for (auto& f : result.files) {
        const auto target = out / f.lexically_relative(staged);
        fs::create_directories(target.parent_path(), ec);
        if (::rename(f.c_str(), target.c_str()) != 0)
            throw core::InputError(target.string(), 0, "cannot write the file");
        f = target;
    }
    return result;
}

// Commands that only read open the store read-only: nothing is written, and a store the
// user may not write (a shared copy, a read-only mount) reads as well; they note
// "(read-only)" on stderr when the store is not writable. A command that writes refuses
// such a store at once (exit 2).
std::unique_ptr<store::Store> openStore(const Options& o, bool create, bool readOnly,
                                        const char* command) {
    const auto path = storePath(o);
    if (create && path.has_parent_path() && !store::isPostgresUrl(path.native())) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
    }
    store::Store::Options so;
    so.annotator = o.get("annotator", "");
    so.create = create;
    so.readOnly = readOnly;
    auto s = store::Store::open(path, so);
    if (s->access() == store::Store::Access::ReadOnlyNotWritable) {
        if (!readOnly)
            throw store::ReadOnlyError(store::redactUrl(path.string()) +
                                       ": the store is read-only (the file or its folder is "
                                       "not writable); nothing was changed");
        if (!o.has("quiet"))
            std::fprintf(stderr, "avvp %s: note: %s is not writable (read-only)\n", command,
                         core::oneLine(store::redactUrl(path.string())).c_str());
    }
    return s;
}

core::LabelFormat formatOption(const Options& o) {
    const auto name = o.require("format");
    if (auto f = core::labelFormatFromName(name)) return *f;
    std::string names;
    for (const auto& f : core::labelFormats())
        names += (names.empty() ? "" : ", ") + std::string(f.name);
    throw UsageError("unknown --format " + core::quote(name) + " (one of " + names + ")");
}

std::optional<core::Split> splitOption(const Options& o, const char* fallback) {
    const auto s = o.get("split", fallback);
    if (s.empty()) return std::nullopt;
    if (auto split = core::splitFromName(s)) return split;
    throw UsageError("--split must be train, val or test, not " + core::quote(s));
}

std::optional<store::Source> sourceOption(const Options& o, const char* fallback) {
    const auto s = o.get("source", fallback);
    if (s == "all") return std::nullopt;
    if (auto src = store::sourceFromName(s)) return src;
    throw UsageError("--source must be gt, prediction or correction, not " + core::quote(s));
}

// The run named by --run, or the only run when there is one.
store::Run runOption(const store::Store& s, const Options& o) {
    if (auto name = o.get("run")) return s.requireRun(*name);
    const auto runs = s.runs();
    if (runs.size() == 1) return runs.front();
    std::string names;
    for (const auto& r : runs) names += (names.empty() ? "" : ", ") + r.name;
    throw UsageError(runs.empty() ? "the store holds no model run"
                                  : "name the run with --run (one of " + names + ")");
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

int importCommand(int argc, char** argv) {
    return guarded("import", kImportUsage, argc, argv, [&] {
        const Options o(
            argc, argv,
            {"store", "llp", "train", "val", "test", "full", "gt-audio", "gt-visual", "features",
             "videos", "format", "as", "run", "annotator", "modality", "report"},
            {"add-videos", "replace", "quiet"}, true);
        store::LlpFiles llp =
            o.has("llp") ? store::LlpFiles::inFolder(o.require("llp")) : store::LlpFiles{};
        const std::pair<const char*, std::optional<fs::path>*> explicitFiles[] = {
            {"train", &llp.train}, {"val", &llp.val},        {"test", &llp.test},
            {"full", &llp.full},   {"gt-audio", &llp.audio}, {"gt-visual", &llp.visual}};
        for (const auto& [name, slot] : explicitFiles)
            if (auto v = o.get(name)) *slot = *v;
        const auto& files = o.positional();
        if (!files.empty() && !o.has("format"))
            throw UsageError(
                "files to import need --format (llp, dcase, eaf, textgrid, audacity, json)");
        if (o.has("format") && files.empty())
            throw UsageError("--format needs the files or folders to read");
        if (llp.empty() && files.empty() && !o.has("features") && !o.has("videos"))
            throw UsageError(
                "nothing to import: give --llp DIR, LLP files (--test F, ...), --features DIR, "
                "--videos DIR or --format FMT FILE...");
        std::optional<core::Modality> modality;
        if (auto m = o.get("modality")) {
            if (*m != "audio" && *m != "visual")
                throw UsageError("--modality must be audio or visual");
            modality = *m == "audio" ? core::Modality::Audio : core::Modality::Visual;
        }
        const auto as = store::sourceFromName(o.get("as", "gt"));
        if (!as) throw UsageError("--as must be gt, prediction or correction");
        if (*as == store::Source::Prediction && files.size() > 0 && !o.has("run"))
            throw UsageError("predictions need --run NAME");

        // Parse the label files before opening the store.
        std::optional<core::LabelDocument> doc;
        if (!files.empty()) {
            std::vector<fs::path> paths(files.begin(), files.end());
            doc = core::readLabelFiles(formatOption(o), paths, {.modality = modality});
        }
        const bool quiet = o.has("quiet");
        core::ProgressLine progress("avvp import", !quiet);
        NewStoreGuard created(storePath(o));  // a failed import into a new path leaves nothing
        auto s = openStore(o, true, false, "import");
        store::ImportReport report;
        store::GroundTruthRemoval removed;
        {
            store::Store::Transaction tx(*s);  // all or nothing
            // LLP dense files and label files replace the ground truth of what they cover:
            // what that deletes is counted, and needs --replace.
            const bool replacesLabels = !llp.empty() || doc;
            const auto before =
                replacesLabels ? store::snapshotGroundTruth(*s) : store::GroundTruthSnapshot{};
            if (!llp.empty()) report.merge(store::importLlp(*s, llp, &progress));
            if (doc) {
                store::LabelImportOptions io;
                io.source = *as;
                io.run = o.get("run", "");
                io.annotator = o.get("annotator", "");
                io.addVideos = o.has("add-videos");
                io.keepProvenance = !o.has("as");  // --as puts every event under that source
                report.merge(store::importLabels(*s, *doc, io, &progress));
            }
            if (auto f = o.get("features")) report.merge(store::importFeatures(*s, *f, &progress));
            if (auto v = o.get("videos"))
                report.merge(store::importMedia(
                    *s, *v, o.has("add-videos"), &progress, [](const fs::path& file) {
                        return std::llround(media::probe(file, true).duration * 1000.0);
                    }));
            if (replacesLabels) removed = store::groundTruthRemoved(*s, before);
            if (!removed.empty() && !o.has("replace")) {
                progress.finish();
                throw ImportRefused(
                    "this import would delete " + removed.text() +
                    ": the files replace the ground truth of the videos they cover (a "
                    "header-only or truncated file deletes it); nothing was changed (run again "
                    "with --replace to delete them)");
            }
            tx.commit();
        }
        progress.finish();
        if (auto r = o.get("report"))
            writeFileWith(*r, [&](std::ostream& out) {
                out << "kind\tfile\tline\tdetail\n";
                for (const auto& a : report.anomalies)
                    out << core::anomalyName(a.kind) << '\t' << a.file << '\t' << a.line << '\t'
                        << a.detail << '\n';
            });
        if (!quiet) {
            std::cout << "imported into " << s->path().string() << " (" << report.filesRead.size()
                      << " files or folders read)\n"
                      << "  videos: " << report.videosAdded << " added, " << report.videosUpdated
                      << " updated\n"
                      << "  events: " << report.eventsImported << " read, "
                      << report.labelSetsChanged
                      << " label sets (video x modality x source) changed\n";
            if (o.has("features"))
                std::cout << "  features: " << report.featuresRecorded << " files recorded\n";
            if (o.has("videos"))
                std::cout << "  media: " << report.mediaMatched << " video files matched\n";
            // Refused files (media that cannot be read) were not imported: each with its
            // cause, apart from the tolerated notes.
            for (const auto& a : report.anomalies)
                if (a.kind == core::AnomalyKind::Refused)
                    std::cout << "  refused " << a.file << ": " << a.detail << '\n';
            if (!removed.empty())
                std::cout << "  ground truth deleted (--replace): " << removed.text() << '\n';
            if (!report.changed()) std::cout << "  nothing changed\n";
            std::map<std::string, std::vector<core::Anomaly>> notes;
            for (const auto& a : report.anomalies)
                if (a.kind != core::AnomalyKind::Refused) notes[a.file].push_back(a);
            printAnomalyNotes(
                std::cout, notes,
                "notes (tolerated; see --report FILE for every one):", "row naming no video");
        }
        created.keep();
        return 0;
    });
}

int exportCommand(int argc, char** argv) {
    return guarded("export", kExportUsage, argc, argv, [&] {
        const Options o(
            argc, argv,
            {"store", "format", "out", "source", "run", "annotator", "split", "video", "weak"},
            {"quiet", "omit-empty-tiers"});
        const auto format = formatOption(o);
        const fs::path out = o.require("out");
        store::LabelSelection sel;
        sel.finalLabels = o.get("source") == std::optional<std::string>("final");
        sel.source =
            sel.finalLabels ? std::optional(store::Source::GroundTruth) : sourceOption(o, "gt");
        core::LabelWriteOptions writeOptions;
        writeOptions.omitEmptyTiers = o.has("omit-empty-tiers");
        if (writeOptions.omitEmptyTiers && format != core::LabelFormat::Eaf &&
            format != core::LabelFormat::TextGrid)
            throw UsageError("--omit-empty-tiers needs --format eaf or textgrid");
        const auto weak =
            o.get("weak", sel.source == store::Source::GroundTruth && !sel.finalLabels ? "stored"
                                                                                       : "events");
        if (weak != "stored" && weak != "events")
            throw UsageError("--weak must be events or stored, not " + core::quote(weak));
        if (o.get("weak") && format != core::LabelFormat::Llp)
            throw UsageError("--weak needs --format llp");
        writeOptions.weakFromEvents = weak == "events";
        if (!sel.source && format != core::LabelFormat::Json)
            throw UsageError("--source all needs --format json (the only format with provenance)");
        sel.split = splitOption(o, "");
        if (auto v = o.get("video")) sel.videos = splitList(*v);
        const auto s = openStore(o, false, true, "export");
        if (sel.source == store::Source::Prediction) sel.run = runOption(*s, o).id;
        if (auto r = o.get("run"); r && sel.source != store::Source::Prediction)
            sel.run = runOption(*s, o).id;
        if (sel.source == store::Source::Correction || sel.finalLabels)
            sel.annotator = o.get("annotator");
        const auto doc = store::exportLabels(*s, sel);
        core::ProgressLine progress("avvp export", !o.has("quiet"));
        const auto result = writeLabelFilesSafely(format, doc, out, &progress, writeOptions);
        progress.finish();
        if (!o.has("quiet")) {
            std::cout << "exported " << doc.eventCount() << " events of " << doc.videos.size()
                      << " videos to " << out.string() << " (" << result.files.size()
                      << " files)\n";
            if (result.merged)
                std::cout << "  " << result.merged
                          << " overlapping same-class events merged (one tier per "
                          << "modality x class cannot hold overlaps)\n";
            if (result.rounded)
                std::cout << "  " << result.rounded
                          << " events widened to whole seconds (LLP CSV)\n";
        }
        return 0;
    });
}

std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            o += buf;
        } else {
            o += c;
        }
    }
    return o;
}

std::string jsonNumber(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

// The run's probabilities with the selection's ground truth (calibrate, eval --ap).
std::vector<core::ScoredVideo> runVideos(store::Store& s, const store::LabelSelection& sel,
                                         const std::string& what) {
    std::size_t missing = 0;
    auto videos = store::scoredVideos(s, *sel.run, sel, &missing);
    if (videos.empty())
        throw core::InputError(s.path().string(), 0,
                               "holds no video of " + what +
                                   " with both probabilities of the run and dense ground truth");
    if (missing > 0)
        std::cerr << "note: " << missing << " videos of " << what
                  << " with ground truth have no probabilities of the run and are left out\n";
    return videos;
}

// avvp eval --store --ap: threshold-free per-class AP and precision-recall curves.
int apReport(store::Store& s, const store::LabelSelection& pred, const Options& o,
             const std::string& format) {
    if (pred.source != store::Source::Prediction)
        throw UsageError("--ap needs --source prediction (a run's probabilities)");
    if (o.has("thresholds")) throw UsageError("--ap is threshold-free: drop --thresholds");
    const std::string figure = o.get("pr-figure", "");
    if (!figure.empty() && fs::path(figure).extension() != ".svg")
        throw UsageError("--pr-figure writes SVG: give a name ending in .svg, not " +
                         core::quote(figure));
    const std::string what = !pred.videos.empty() ? "the selected videos"
                             : pred.split
                                 ? "the " + std::string(core::splitName(*pred.split)) + " split"
                                 : std::string("the store");
    const auto report = core::segmentAveragePrecision(runVideos(s, pred, what));
    const std::string title =
        "average precision of " + store::describeSelection(s, pred) + " on " + what;
    if (auto f = o.get("pr-tsv"))
        writeFileWith(*f, [&](std::ostream& out) { core::writePrTsv(out, report); });
    if (!figure.empty())
        writeFileWith(figure, [&](std::ostream& out) { core::writePrSvg(out, report, title); });
    if (format == "tsv") {
        core::writeApTsv(std::cout, report);
    } else if (format == "json") {
        std::cout << "{\"title\":\"" << jsonEscape(title) << "\",\"protocol\":\""
                  << jsonEscape(report.protocol) << "\",\"videos\":" << report.videos
                  << ",\"thresholds\":\"none (threshold-free)\",\"modalities\":{";
        for (std::size_t m = 0; m < 3; ++m) {
            std::cout << (m ? "," : "") << '"' << core::kApModalities[m]
                      << "\":{\"map\":" << jsonNumber(report.map[m])
                      << ",\"micro_ap\":" << jsonNumber(report.microAp[m]) << ",\"classes\":{";
            bool first = true;
            for (const auto& c : report.classes) {
                if (c.modality != static_cast<int>(m)) continue;
                std::cout << (first ? "" : ",") << '"'
                          << core::kClassNames[static_cast<std::size_t>(c.cls)]
                          << "\":{\"ap\":" << jsonNumber(c.ap) << ",\"positives\":" << c.positives
                          << '}';
                first = false;
            }
            std::cout << "}}";
        }
        std::cout << "}}\n";
    } else {
        core::writeApText(std::cout, report, title);
    }
    std::cout.flush();
    return 0;
}

const std::string kCalibrateUsage =
    std::string(
        R"(usage: avvp calibrate --store PATH --run NAME [--split val] [--mode per-class|global|coleaf]
                      [--out thresholds.json] [--apply]

Chooses the thresholds that turn a run's stored probabilities into events on a split with
dense ground truth, and stores them with the run (runs.params "thresholds"). A cell
(segment, modality, class) is on when its frame probability reaches its class's threshold
of its modality and the class's global probability reaches the global threshold.

  per-class  (UWAV) per class and modality the threshold that maximises the segment-level
             F1 of that class over the split's segments; the global gate stays at
             --global; a class without positives keeps --frame
  global     (CoLeaF) one frame and one global threshold on a grid of --step,
             maximising the segment-level F1 pooled over every class and modality
  coleaf     CoLeaF's published frame 0.25 and global 0.52 (nothing is fitted)

options:
  --run NAME         the run whose probabilities      [default: the only run, if one]
  --split S          train | val | test: the split to calibrate on        [default: val]
  --mode M           per-class | global | coleaf                  [default: per-class]
  --frame F          starting frame threshold                [default: the run's own]
  --global G         global threshold (per-class mode)       [default: the run's own]
  --step S           grid step of the global mode                        [default: 0.01]
  --out FILE         also write the thresholds file (JSON, see the README)
  --apply            also re-threshold the run's prediction events with them (what the
                     timeline, exports and avvp eval --store then show)
  --quiet            no summary
)") +
    kStoreOption + R"(

Then: avvp eval --store PATH --run NAME --thresholds FILE scores them on another split.
Exit codes: 0 calibrated, 2 bad input or usage, 1 a database failure.
)";

float probabilityOption(const Options& o, const char* name, float fallback) {
    const auto v = o.get(name);
    if (!v) return fallback;
    try {
        std::size_t used = 0;
        const float x = std::stof(*v, &used);
        if (used == v->size() && x >= 0.0F && x <= 1.0F) return x;
    } catch (const std::exception&) {
    }
    throw UsageError(std::string("--") + name + " must be a number in [0, 1], not " +
                     core::quote(*v));
}

int calibrateCommand(int argc, char** argv) {
    return guarded("calibrate", kCalibrateUsage, argc, argv, [&] {
        const Options o(argc, argv,
                        {"store", "run", "split", "mode", "frame", "global", "step", "out"},
                        {"apply", "quiet"});
        const auto mode = o.get("mode", "per-class");
        if (mode != "per-class" && mode != "global" && mode != "coleaf")
            throw UsageError("--mode must be per-class, global or coleaf, not " +
                             core::quote(mode));
        const auto split = splitOption(o, "val");
        const float step = [&] {
            const auto v = o.get("step", "0.01");
            try {
                std::size_t used = 0;
                const float x = std::stof(v, &used);
                if (used == v.size() && x > 0.0F && x < 0.5F) return x;
            } catch (const std::exception&) {
            }
            throw UsageError("--step must be a number in (0, 0.5), not " + core::quote(v));
        }();
        if (!o.has("store")) throw UsageError("missing required option --store");
        const auto s = openStore(o, false, false, "calibrate");
        const auto run = runOption(*s, o);
        const core::Thresholds start{probabilityOption(o, "frame", run.frameThreshold),
                                     probabilityOption(o, "frame", run.frameThreshold),
                                     probabilityOption(o, "global", run.globalThreshold)};
        store::LabelSelection sel;
        sel.source = store::Source::Prediction;
        sel.run = run.id;
        sel.split = split;
        const std::string what = "the " + std::string(core::splitName(*split)) + " split";
        const auto videos = runVideos(*s, sel, what);
        core::Calibration cal;
        if (mode == "per-class") {
            cal = core::calibratePerClass(videos, start);
        } else if (mode == "global") {
            cal = core::calibrateGlobal(videos, start, step);
        } else {
            cal.mode = "coleaf";
            cal.videos = static_cast<int>(videos.size());
            cal.before = core::ClassThresholds::uniform(start);
            cal.thresholds = core::ClassThresholds::uniform(core::kColeafThresholds);
            cal.f1Before = core::segmentCounts(videos, cal.before).f1();
            cal.f1After = core::segmentCounts(videos, cal.thresholds).f1();
        }
        core::ThresholdsFile file;
        file.mode = cal.mode;
        file.protocol = core::kCalibrationProtocol;
        file.store = s->path().string();
        file.run = run.name;
        file.split = std::string(core::splitName(*split));
        file.videos = cal.videos;
        file.f1Before = cal.f1Before;
        file.f1After = cal.f1After;
        file.thresholds = cal.thresholds;
        if (auto out = o.get("out"))
            writeFileWith(*out, [&](std::ostream& f) { f << core::thresholdsJson(file); });
        store::setRunThresholds(*s, run.id, file);
        int changed = 0;
        if (o.has("apply")) changed = store::applyThresholds(*s, run.id, file);
        if (!o.has("quiet")) {
            char line[160];
            std::cout << "calibrated " << cal.mode << " thresholds of run " << run.name << " on "
                      << what << " (" << cal.videos << " videos)\n";
            std::snprintf(line, sizeof line,
                          "  segment-level F1 (pooled over classes and modalities): %.2f -> "
                          "%.2f\n",
                          100.0 * cal.f1Before, 100.0 * cal.f1After);
            std::cout << line << "  thresholds: " << core::describeThresholds(file) << '\n';
            if (mode == "per-class") {
                std::cout << "  per class (positives, F1 before -> after, threshold):\n";
                for (const auto& c : cal.classes) {
                    if (c.best.positives == 0) continue;
                    std::snprintf(
                        line, sizeof line, "    %-6s %-24s %6ld  %6.2f -> %6.2f  %.3f\n",
                        c.modality == core::Modality::Audio ? "audio" : "visual",
                        std::string(core::kClassNames[static_cast<std::size_t>(c.cls)]).c_str(),
                        c.best.positives, 100.0 * c.f1Before, 100.0 * c.best.f1, c.best.threshold);
                    std::cout << line;
                }
            }
            std::cout << "  stored with run " << run.name;
            if (auto out = o.get("out")) std::cout << "; written to " << *out;
            std::cout << '\n';
            if (o.has("apply"))
                std::cout << "  applied: the run's prediction events re-thresholded (" << changed
                          << " videos changed)\n";
        }
        return 0;
    });
}

int evalStoreCommand(int argc, char** argv) {
    return guarded("eval", kEvalUsage, argc, argv, [&] {
        const Options o(argc, argv,
                        {"store", "source", "run", "annotator", "split", "video", "format",
                         "per-video", "per-class", "thresholds", "pr-tsv", "pr-figure"},
                        {"save", "quiet", "covered-only", "ap"});
        const std::string format = o.get("format", "text");
        if (format != "text" && format != "tsv" && format != "json")
            throw UsageError("--format must be text, tsv or json, not " + core::quote(format));
        const auto source = sourceOption(o, "prediction");
        if (source != store::Source::Prediction && source != store::Source::Correction)
            throw UsageError("--source must be prediction or correction");
        const bool all = o.get("split", "test") == "all" || o.has("video");
        const auto split = all ? std::nullopt : splitOption(o, "test");
        if (!o.has("store")) throw UsageError("missing required option --store");
        const auto s = openStore(o, false, !o.has("save"), "eval");
        store::LabelSelection pred;
        pred.source = source;
        pred.split = split;
        if (auto v = o.get("video")) pred.videos = splitList(*v);
        if (source == store::Source::Prediction || o.has("run")) pred.run = runOption(*s, o).id;
        if (source == store::Source::Correction && o.has("annotator"))
            pred.annotator = o.get("annotator");
        if (o.has("ap")) return apReport(*s, pred, o, format);
        if ((o.has("pr-tsv") || o.has("pr-figure")))
            throw UsageError("--pr-tsv and --pr-figure need --ap");
        std::optional<core::ThresholdsFile> thresholds;
        if (auto f = o.get("thresholds")) {
            if (source != store::Source::Prediction)
                throw UsageError("--thresholds needs --source prediction");
            thresholds = core::readThresholdsFile(*f);
        }
        const auto scope =
            o.has("covered-only") ? store::EvalScope::CoveredVideos : store::EvalScope::AllVideos;
        const auto scored =
            thresholds ? store::evaluateWithThresholds(*s, pred, thresholds->thresholds, scope)
                       : store::evaluateSelection(*s, pred, nullptr, scope);
        const std::string thresholdsText =
            thresholds ? core::describeThresholds(*thresholds)
            : source == store::Source::Prediction
                ? "the run's prediction events: " + store::describeRunThresholds(*s, *pred.run)
                : std::string("none (corrections are labels, not probabilities)");
        const auto& cov = scored.coverage;
        const auto& result = scored.result;
        if (auto f = o.get("per-video"))
            writeFileWith(*f, [&](std::ostream& out) { core::writePerVideoTsv(out, result); });
        if (auto f = o.get("per-class"))
            writeFileWith(*f, [&](std::ostream& out) { core::writePerClassTsv(out, result); });
        const std::string title =
            "AVVP evaluation of " + scored.what + " in " + s->path().string() +
            (split && pred.videos.empty()
                 ? " on the " + scored.splitText + " split"
                 : " on " + (pred.videos.empty() ? std::string("all videos") : scored.splitText)) +
            (cov.coveredOnly ? ", over the " + std::to_string(cov.covered) + " videos it covers"
                             : std::string());
        const std::string coverage = "the set " + cov.text();
        const std::string uncovered =
            std::to_string(cov.videos - cov.covered) +
            " videos the set leaves out are scored as if it labelled nothing in them "
            "(--covered-only scores the " +
            std::to_string(cov.covered) + " it covers alone)";
        if (format == "tsv" && thresholds) {
            std::ostringstream t;
            core::writeEvalTsv(t, result);
            const auto text = t.str();
            const auto nl = text.find('\n');
            std::cout << text.substr(0, nl) << "\tthresholds\n"
                      << text.substr(nl + 1, text.size() - nl - 2) << '\t' << thresholdsText
                      << '\n';
        } else if (format == "tsv") {
            core::writeEvalTsv(std::cout, result);
        } else if (format == "json") {
            std::ostringstream j;
            core::writeEvalJson(j, result, title);
            auto text = j.str();
            const auto brace = text.rfind('}');
            std::cout << text.substr(0, brace) << ",\"thresholds\":\"" << jsonEscape(thresholdsText)
                      << "\"" << text.substr(brace);
        } else {
            core::writeEvalText(std::cout, result, title, false);
        }
        if (format == "text") {
            std::cout << "\nthresholds: " << thresholdsText << '\n';
            std::cout << "\ncoverage: " << coverage << '\n';
            if (!cov.complete() && !cov.coveredOnly)
                std::cout << "warning: the " << uncovered << '\n';
        } else if (!cov.complete() && !cov.coveredOnly) {
            std::cerr << "avvp eval: note: " << coverage << "; the " << uncovered << '\n';
        }
        if (o.has("save")) s->addEvaluation(store::evaluationRecord(scored, pred));
        std::cout.flush();
        return 0;
    });
}

// avvp store copy FROM TO: a new SQLite TO is removed again when the copy fails.
int copyCommand(const Options& o) {
    const auto& args = o.positional();
    if (args.size() != 3) throw UsageError("copy takes two arguments: FROM TO");
    for (const auto& a : {args[1], args[2]})
        if (const auto problem = storeUrlProblem(a); !problem.empty()) throw UsageError(problem);
    const std::string fromShown = store::redactUrl(args[1]), toShown = store::redactUrl(args[2]);
    if (args[1] == args[2])
        throw UsageError("FROM and TO are the same store " + core::quote(toShown));
    const bool toUrl = store::isPostgresUrl(args[2]);
    store::Store::Options fromOptions;
    fromOptions.create = false;
    fromOptions.readOnly = true;
    auto from = store::Store::open(args[1], fromOptions);
    std::optional<NewStoreGuard> created;
    if (!toUrl) {
        created.emplace(args[2]);
        const fs::path to(args[2]);
        std::error_code ec;
        if (to.has_parent_path()) fs::create_directories(to.parent_path(), ec);
    }
    store::Store::Options toOptions;
    auto to = store::Store::open(args[2], toOptions);
    if (!o.has("replace") && store::storeHasData(*to)) {
        const auto i = to->info();
        throw core::InputError(
            toShown, 0,
            "the target store is not empty (" + std::to_string(i.videos) + " videos, " +
                std::to_string(i.eventsPerSource[0] + i.eventsPerSource[1] + i.eventsPerSource[2]) +
                " events); nothing copied (--replace replaces its contents)");
    }
    core::ProgressLine progress("avvp store copy", !o.has("quiet"));
    const auto report = store::copyStore(*from, *to, o.has("replace"), &progress);
    progress.finish();
    if (created) created->keep();
    std::cout << "copied " << report.rows << " rows in " << report.tables << " tables from "
              << fromShown << " to " << toShown << '\n';
    for (const auto& [table, rows] : report.perTable)
        std::cout << "  " << table << ": " << rows << '\n';
    return 0;
}

int storeCommand(int argc, char** argv) {
    return guarded("store", kStoreUsage, argc, argv, [&] {
        const Options o(argc, argv, {"store"}, {"replace", "quiet"}, true);
        if (o.positional().empty()) throw UsageError("give an action: info, check or copy");
        const auto action = o.positional().front();
        if (action != "copy" && o.positional().size() != 1)
            throw UsageError(action + " takes no arguments");
        if (action != "info" && action != "check" && action != "copy")
            throw UsageError("unknown action " + core::quote(action));
        if (action == "copy") return copyCommand(o);
        const auto s = openStore(o, false, true, "store");
        if (action == "check") {
            const auto result = s->integrityCheck();
            std::cout << result << '\n';
            return result == "ok" ? 0 : 1;
        }
        const auto i = s->info();
        std::cout << "store " << i.path << " (schema version " << i.schemaVersion << ")\n"
                  << "  videos: " << i.videos << " (train " << i.videosPerSplit[0] << ", val "
                  << i.videosPerSplit[1] << ", test " << i.videosPerSplit[2] << ", no split "
                  << i.videosPerSplit[3] << ")\n"
                  << "  events: " << i.eventsPerSource[0] << " ground truth, "
                  << i.eventsPerSource[1] << " predictions, " << i.eventsPerSource[2]
                  << " corrections\n"
                  << "  models: " << i.models << ", runs: " << i.runs
                  << ", evaluations: " << i.evaluations << ", edits: " << i.edits << '\n';
        for (const auto& r : s->runs()) std::cout << "  run " << r.name << '\n';
        return 0;
    });
}

int runsCommand(int argc, char** argv) {
    return guarded("runs", kRunsUsage, argc, argv, [&] {
        const Options o(argc, argv, {"store"}, {}, true);
        const auto& args = o.positional();
        if (args.empty()) throw UsageError("give an action: list or rename");
        const auto& action = args.front();
        if (action == "list") {
            if (args.size() != 1) throw UsageError("list takes no arguments");
            const auto s = openStore(o, false, true, "runs");
            for (const auto& r : s->runs())
                std::cout << r.name << '\t' << r.frameThreshold << '\t' << r.globalThreshold
                          << '\n';
            return 0;
        }
        if (action != "rename") throw UsageError("unknown action " + core::quote(action));
        if (args.size() != 3) throw UsageError("rename takes two arguments: OLD NEW");
        const auto s = openStore(o, false, false, "runs");
        const auto run = s->requireRun(args[1]);
        const auto name = store::renameRun(*s, run.id, args[2]);
        std::cout << "renamed run " << core::quote(args[1]) << " to " << core::quote(name) << '\n';
        return 0;
    });
}

}  // namespace

// app/cli/agreement_command.cpp
int agreementCommand(int argc, char** argv);
// app/cli/compare_command.cpp
int compareCommand(int argc, char** argv);
// app/cli/review_command.cpp
int reviewCommand(int argc, char** argv);
// app/cli/queue_command.cpp
int queueCommand(int argc, char** argv);

}  // namespace avvp::app

extern "C" __attribute__((visibility("default"))) int avvp_store_main(int argc, char** argv) {
    const std::string cmd = argc > 0 ? argv[0] : "";
    if (cmd == "import") return avvp::app::importCommand(argc, argv);
    if (cmd == "export") return avvp::app::exportCommand(argc, argv);
    if (cmd == "eval") return avvp::app::evalStoreCommand(argc, argv);
    if (cmd == "calibrate") return avvp::app::calibrateCommand(argc, argv);
    if (cmd == "store") return avvp::app::storeCommand(argc, argv);
    if (cmd == "agreement") return avvp::app::agreementCommand(argc, argv);
    if (cmd == "compare") return avvp::app::compareCommand(argc, argv);
    if (cmd == "review") return avvp::app::reviewCommand(argc, argv);
    if (cmd == "queue") return avvp::app::queueCommand(argc, argv);
    if (cmd == "runs") return avvp::app::runsCommand(argc, argv);
    std::fprintf(stderr, "avvp: unknown store command %s\n", avvp::core::quote(cmd).c_str());
    return 2;
}
