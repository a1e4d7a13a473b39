#pragma once
// Extract Features: the app's job that computes the features of a project's videos with
// the TorchScript encoders of an encoders folder (its manifest.json, as `avvp features`
// reads it) and records them in the store, so that a model can run on videos that came
// without features (the user's own videos, LLP videos whose media is present).
//
// Files: <store folder>/features/<kind>/<id>.npy for a video of one 10-segment window,
// <id>_0_10.npy, <id>_10_20.npy, ... for longer ones (the last window padded), and
// <store folder>/features/index.tsv, exactly as `avvp features --out <store folder>/features`
// writes them (app/common/feature_extraction.h does the work for both). <id> is the video's
// feature id: the LLP filename's 11-character YouTube id (core::featureId) for an LLP clip
// (Video::isLlpClip), the filename otherwise (what the store's feature import matches).
//
// Store: per video and kind one record (Store::setFeature): a video of W > 1 windows
// records the window-0 file with shape {W, rows, dim}, a one-window video <id>.npy with
// {rows, dim}. The windows cover the store's segments of the video (Video::segments(); an
// own video whose duration is unknown gets the media's duration recorded first).
//
// All or nothing: files are written as `.part` and renamed, and the store written in one
// transaction, only once every video is done; a cancelled job (core::Cancelled between
// windows) or one that fails as a whole leaves no record and no file behind. A video that
// cannot be extracted (no media, missing file, not decodable) is skipped and listed; the
// others are still recorded.
#include <QObject>
#include <QPointer>
#include <QString>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "app/workspace/jobs.h"
#include "core/progress.h"
#include "core/store/records.h"

namespace avvp::workspace {

struct ExtractionRequest {
    std::filesystem::path encoders = {};      // the encoders folder (with manifest.json)
    std::vector<store::VideoId> videos = {};  // empty: every video of the project with media
    std::filesystem::path out = {};           // empty: featureFolder(store)
    std::string device = "auto";              // "auto", "cpu", "cuda", "cuda:N"
};

struct ExtractionReport {
    int videos = 0;   // videos extracted and recorded
    int windows = 0;  // windows written
    // "<filename>: why" for each video left out (no media, missing file, not decodable).
    std::vector<std::string> skipped;
    // "<filename>" of videos without an audio stream (audio features of silence).
    std::vector<std::string> silentAudio;
    // Videos extracted although not all of them decoded (ExtractedVideo::decodedFraction
    // under 1, at or above the refusal threshold): what the summary notes.
    struct Incomplete {
        std::string filename;
        double decodedFraction = 1.0;  // 0..1
        std::int64_t decodeErrors = 0;
    };
    std::vector<Incomplete> incomplete;
    std::vector<std::string> kinds;  // the feature kinds written ("visual", "audio")
    std::string device;              // where the encoders ran
    double seconds = 0.0;
};

// <store folder>/features
std::filesystem::path featureFolder(const std::filesystem::path& store);

// The file-name id of a video's features (see above), with characters that cannot name
// a file ('/', '\\') replaced by '_'.
std::string featureFileId(const store::Video& video);

// Runs the extraction on its own store connection. Throws std::invalid_argument when no
// encoders folder is given or the device is unknown, core::InputError naming the manifest
// when it is missing or bad, core::Cancelled when cancelled (nothing stored then), and
// std::runtime_error when no video of the request has media (listing why).
ExtractionReport runExtraction(const std::filesystem::path& store, const ExtractionRequest& request,
                               core::Progress& progress);

class Session;

// The Extract Features job of the open project: one at a time, through the JobManager
// (progress with count and ETA, cancel). On success the session sees the new features.
class FeatureExtraction : public QObject {
    Q_OBJECT
  public:
    FeatureExtraction(Session* session, JobManager* jobs, QObject* parent = nullptr);

    // Extracts `videos` (empty: every video with media) with the encoders folder
    // `encoders` in a job titled `title`. nullptr, after refused(reason), when no project is
    // open, no encoders folder is given or an extraction is under way.
    Job* start(std::vector<store::VideoId> videos, const QString& encoders, const QString& title);
    Job* last() const { return job_; }
    bool running() const;

    // The result summary's note on the videos that decoded incompletely: "2 videos decoded
    // incompletely (lowest 93.1 %, 14 decode errors)"; empty when every video decoded whole.
    static QString decodeNote(const ExtractionReport& report);

  signals:
    void started(avvp::workspace::Job* job);
    void finished(const avvp::workspace::ExtractionReport& report);
    void failed(const QString& error);
    void refused(const QString& reason);

  private:
    Session* session_;
    JobManager* jobs_;
    QPointer<Job> job_;
};

}  // namespace avvp::workspace
