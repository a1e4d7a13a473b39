#include "app/workspace/feature_extraction.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "app/common/feature_extraction.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/error.h"
#include "core/llp_files.h"
#include "core/media/media_info.h"
#include "core/store/store.h"
#include "core/taxonomy.h"

namespace avvp::workspace {

namespace fs = std::filesystem;

fs::path featureFolder(const fs::path& store) {
    return fs::absolute(store).parent_path() / "features";
}

std::string featureFileId(const store::Video& video) {
    std::string id =
        video.isLlpClip() ? std::string(core::featureId(video.filename)) : video.filename;
    for (char& c : id)
        if (c == '/' || c == '\\') c = '_';
    return id;
}

namespace {

// What one video of the job needs, read from the store before any work.
struct Planned {
    store::Video video;
    std::string id;
    int segments = 0;
    std::int64_t recordDurationMs = 0;  // > 0: an own video's duration, unknown so far
};

std::string shortList(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < 3; ++i) out += (i ? "; " : "") + items[i];
    if (items.size() > 3) out += "; and " + std::to_string(items.size() - 3) + " more";
    return out;
}

}  // namespace

ExtractionReport runExtraction(const fs::path& storePath, const ExtractionRequest& request,
                               core::Progress& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    if (request.encoders.empty())
        throw std::invalid_argument(
            "no encoders folder is chosen (a folder with the manifest.json of TorchScript "
            "encoders, as `avvp features --encoders` takes)");
    store::Store::Options options;
    options.create = false;
    auto store = store::Store::open(storePath, options);
    ExtractionReport report;

    // The videos: those asked for, or every video with media.
    std::vector<store::Video> candidates;
    if (request.videos.empty()) {
        for (const auto& s : store->videos())
            if (!s.video.mediaPath.empty()) candidates.push_back(s.video);
        if (candidates.empty())
            throw std::runtime_error(
                "no video of the project has media: import the videos first (File ▸ Import ▸ "
                "Video Folder)");
    } else {
        for (auto id : request.videos) {
            if (auto v = store->video(id))
                candidates.push_back(*v);
            else
                report.skipped.push_back("video #" + std::to_string(id) + ": not in the project");
        }
    }
    std::vector<Planned> plan;
    for (const auto& v : candidates) {
        if (v.mediaPath.empty()) {
            report.skipped.push_back(v.filename + ": no media file (import its video first)");
            continue;
        }
        std::error_code ec;
        if (!fs::is_regular_file(v.mediaPath, ec)) {
            report.skipped.push_back(v.filename + ": the media file " + v.mediaPath +
                                     " is missing");
            continue;
        }
        Planned p{v, featureFileId(v)};
        if (v.isLlpClip() || v.durationMs > 0) {
            p.segments = v.segments();  // LLP clips keep their 10 s
        } else {
            // An own video of unknown length: the media's, recorded with the features.
            try {
                const auto info = media::probe(v.mediaPath, false);
                p.recordDurationMs = std::llround(info.duration * 1000.0);
                p.segments = core::segmentCount(p.recordDurationMs);
            } catch (const core::InputError& e) {
                report.skipped.push_back(v.filename + ": " + e.what());
                continue;
            }
        }
        plan.push_back(std::move(p));
    }
    if (plan.empty())
        throw std::runtime_error("no video to extract has usable media: " +
                                 shortList(report.skipped));

    // The encoders (a bad manifest fails the job here, before anything is written).
    core::step(&progress, 0.0, "loading the encoders");
    app::FeatureExtractor extractor(request.encoders, request.device);
    report.kinds = extractor.kinds();
    report.device = extractor.device();
    const fs::path out = request.out.empty() ? featureFolder(storePath) : request.out;

    // Folders this job creates are removed again (when empty) if it does not finish.
    std::vector<fs::path> created;
    std::vector<app::ExtractedVideo> done;
    const auto cleanUp = [&] {
        for (auto& v : done) v.discard();
        std::error_code ec;
        for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove(*it, ec);
    };
    try {
        std::vector<fs::path> folders = {out};
        for (const auto& kind : report.kinds) folders.push_back(out / kind);
        for (const auto& f : folders) {
            std::error_code ec;
            if (fs::is_directory(f, ec)) continue;
            if (!fs::create_directory(f, ec) || ec)
                throw core::InputError(f.string(), 0,
                                       "cannot create the feature folder: " + ec.message());
            created.push_back(f);
        }
        const double n = static_cast<double>(plan.size());
        std::vector<const Planned*> extracted;
        for (std::size_t i = 0; i < plan.size(); ++i) {
            const auto& p = plan[i];
            core::ProgressRange part(progress, static_cast<double>(i) / n,
                                     static_cast<double>(i + 1) / n,
                                     "video " + std::to_string(i + 1) + " of " +
                                         std::to_string(plan.size()) + " · " + p.video.filename);
            try {
                auto v = extractor.extract(p.video.mediaPath, p.id, out,
                                           {.overwrite = true, .segments = p.segments}, &part);
                if (v.silentAudio) report.silentAudio.push_back(p.video.filename);
                if (v.decodedFraction < 1.0)
                    report.incomplete.push_back(
                        {p.video.filename, v.decodedFraction, v.decodeErrors});
                report.windows += static_cast<int>(v.windows.size());
                done.push_back(std::move(v));
                extracted.push_back(&p);
            } catch (const core::Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                report.skipped.push_back(p.video.filename + ": " + e.what());
            }
        }
        if (done.empty())
            throw std::runtime_error("no video could be extracted: " + shortList(report.skipped));
        core::step(&progress, 1.0, "recording the features");

        // The records, then the files into place, then the commit: a failure on the way
        // rolls the store back and removes what is not in place yet.
        store::Store::Transaction tx(*store);
        for (std::size_t i = 0; i < done.size(); ++i) {
            const auto& v = done[i];
            const auto& p = *extracted[i];
            if (p.recordDurationMs > 0)
                store->setMedia(p.video.id, p.video.mediaPath, p.recordDurationMs);
            const auto windows = static_cast<std::int64_t>(v.windows.size());
            for (const auto& kind : report.kinds)
                for (const auto& f : v.files)
                    if (f.kind == kind) {  // the first file of the kind is window 0
                        std::vector<std::int64_t> shape;
                        shape.reserve(f.shape.size() + 1);
                        if (windows > 1) shape.push_back(windows);
                        for (auto d : f.shape) shape.push_back(d);
                        store->setFeature(p.video.id, {kind, fs::absolute(f.path).string(), shape});
                        break;
                    }
        }
        for (auto& v : done) v.commit();
        tx.commit();
    } catch (...) {
        cleanUp();
        throw;
    }
    report.videos = static_cast<int>(done.size());
    try {
        app::writeFeatureIndex(out, done);
    } catch (const core::InputError& e) {
        report.skipped.push_back(std::string("index.tsv not written: ") + e.what());
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

FeatureExtraction::FeatureExtraction(Session* session, JobManager* jobs, QObject* parent)
    : QObject(parent), session_(session), jobs_(jobs) {}

QString FeatureExtraction::decodeNote(const ExtractionReport& report) {
    if (report.incomplete.empty()) return {};
    double lowest = 1.0;
    std::int64_t errors = 0;
    for (const auto& v : report.incomplete) {
        lowest = std::min(lowest, v.decodedFraction);
        errors += v.decodeErrors;
    }
    // Rounded down, so that an incomplete video never reads "100.0 %".
    const double percent = std::floor(lowest * 1000.0) / 10.0;
    return tr("%n video(s) decoded incompletely (lowest %1 %, %2 decode errors)", nullptr,
              static_cast<int>(report.incomplete.size()))
        .arg(percent, 0, 'f', 1)
        .arg(errors);
}

bool FeatureExtraction::running() const {
    const Job* j = job_.data();
    return j && j->running();
}

Job* FeatureExtraction::start(std::vector<store::VideoId> videos, const QString& encoders,
                              const QString& title) {
    if (!session_->isOpen()) {
        emit refused(tr("No project is open."));
        return nullptr;
    }
    if (encoders.trimmed().isEmpty()) {
        emit refused(
            tr("No encoders folder is chosen: choose the folder with the encoders' "
               "manifest.json in Edit ▸ Preferences, or for this project in Models ▸ "
               "Extract Features."));
        return nullptr;
    }
    if (running()) {
        emit refused(tr("A feature extraction is under way."));
        return nullptr;
    }
    ExtractionRequest request;
    request.encoders = encoders.trimmed().toStdString();
    request.videos = std::move(videos);
    const fs::path store = session_->path().toStdString();
    job_ = jobs_->run<ExtractionReport>(
        title, [store, request](JobContext& ctx) { return runExtraction(store, request, ctx); },
        [self = QPointer<FeatureExtraction>(this),
         session = QPointer<Session>(session_)](ExtractionReport& r) {
            if (session) session->refresh();
            if (self) emit self->finished(r);
        },
        [self = QPointer<FeatureExtraction>(this)](const QString& error) {
            if (self) emit self->failed(error);
        });
    emit started(job_);
    return job_;
}

}  // namespace avvp::workspace
