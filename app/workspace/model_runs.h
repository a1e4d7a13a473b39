#pragma once
// Model runs in the project, through the torch-free facade of the models layer
// (models/model_api.h; the application layer never includes <torch/torch.h>): describing a
// checkpoint, reading a video's inputs from the feature files the store records for it,
// and a model run over many videos that stores, as one run, its per-segment probabilities
// and the named outputs the research views draw (attention, TSAM weights, CMIM matrices,
// S-LOSS cosines and λ). The research views read those back (runOutputs) instead of
// running the model again.
//
// Videos of any length run in consecutive 10-segment windows (models/windowed_run.h): the
// store records such a video's features of a kind as the window-0 file with the shape
// {W, rows, dim} (core/features.h), and the run stores its probabilities over the whole
// video (T = its segments) with one global 25-vector per window, and its research outputs
// with a leading window dimension W.
//
// Everything here may run on a worker thread with its own store connection; a model is
// shared between threads (Model::forward is const and takes no gradients).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/llp_dataset.h"
#include "core/progress.h"
#include "core/store/records.h"
#include "models/model_api.h"
#include "models/windowed_run.h"

namespace avvp::store {
class Store;
}

namespace avvp::workspace {

using SharedModel = std::shared_ptr<const models::Model>;

// Loads a checkpoint (native or a PyTorch state_dict) on `device` ("auto" takes CUDA when
// there is one). Throws core::InputError naming the file and the reason.
SharedModel loadModel(const std::filesystem::path& checkpoint, const std::string& device = "auto");

// Several lines: variant, sizes, inputs, switches, parameter count, device, provenance.
std::string describeModel(const models::Model& model);

// The feature files of a video's windows from what the store records for it (kinds "audio",
// "visual", "motion"; a record of shape {W, rows, dim} is W window files), with its
// segments: the video's segments when its duration is known, else 10 W. Throws
// core::InputError naming the video and what is missing or does not fit its length.
models::WindowedVideo videoWindows(const store::Store& store, store::VideoId video,
                                   const models::ModelConfig& config);

// The inputs of one video: a batch of its W windows (W = 1 for a clip of 10 s or less).
// Throws core::InputError naming the video or file and what is missing or does not fit.
models::Inputs videoInputs(const store::Store& store, store::VideoId video,
                           const models::ModelConfig& config);

// One video's forward pass: every named output, batch = its windows.
models::Outputs forwardVideo(const models::Model& model, const store::Store& store,
                             store::VideoId video);

struct RunRequest {
    std::filesystem::path store;  // the project (opened again on the worker thread)
    std::string annotator;        // who runs it (the worker's connection)
    SharedModel model;
    std::string checkpoint;  // recorded with the run's model
    // The videos: these ids, else the videos of `split`, else every video.
    std::vector<store::VideoId> videos;
    std::optional<core::Split> split;
    std::string runName;  // "" = defaultRunName(), at the time of the run
    // Windows per forward pass: windows of one or several videos share a batch (a clip of
    // 10 s is one window, so for LLP it counts videos).
    int batch = 16;
    float frameThreshold = 0.5F, globalThreshold = 0.5F;
    bool storeOutputs = true;  // the research outputs (researchOutputNames) with the run
};

struct RunSummary {
    store::RunId run = 0;
    std::string name;
    int videos = 0;                    // predicted and stored
    std::vector<std::string> skipped;  // "<video>: <reason>" (no or unfit features)
};

// The stored form of one batch of outputs: per video (in batch order) its frame_prob
// (T x 2 x 25) and global_prob (25). global_prob is clamped to [0, 1]: the MMIL head's
// attention-weighted sum over time and modality (docs/model.md 2) can exceed 1 (up to 2),
// which clamping does not change at any threshold below 1; NaN stays NaN (the store
// refuses it). Throws std::runtime_error when the shapes do not fit the videos.
std::vector<store::SegmentProbabilities> segmentProbabilities(
    const models::Array& frameProb, const models::Array& globalProb,
    const std::vector<store::VideoId>& videos);

// The outputs a run stores per video for the research views besides its probabilities
// (when the model gives them): frame_att, av_att, tsam_*, cmim_*, sloss_c, sloss_lambda,
// sloss_lambda_curve, sloss_mu, leap_att_*.
const std::vector<std::string>& researchOutputNames();

// Video `b` of a batch of outputs (researchOutputNames only), each with batch dimension 1;
// outputs without a batch dimension of the batch size (sloss_mu) are kept whole.
std::vector<store::OutputArray> videoOutputs(const models::Outputs& batch, std::size_t b,
                                             std::size_t batchSize);

// The stored form of a video's windowed prediction: its probabilities over the whole video
// (T segments, 25 globals per window) and its research outputs, (W, ...) per output.
store::SegmentProbabilities segmentProbabilities(const models::WindowedPrediction& p,
                                                 store::VideoId video);
std::vector<store::OutputArray> videoOutputs(const models::WindowedPrediction& p);

// Predicts in batches of windows and stores the probabilities, the thresholded prediction
// events and the research outputs as one run, in one transaction at the end: a cancelled
// (core::Cancelled) or failed run leaves nothing behind. Progress: "12 of 40 videos" after
// each batch (the fraction by windows), then "storing". A cancel before the commit (the
// commitPoint of app/workspace/jobs.h) stores nothing and throws core::Cancelled, a job's
// cancel after it is refused. Throws core::InputError when no requested video has usable
// features.
RunSummary runModel(const RunRequest& request, core::Progress& progress);

// What a run stored for a video for the research views, as a model's outputs: frame_prob
// (1, T, 2, 25) and global_prob (W, 25) from its probabilities, the research outputs with
// their window dimension W first (W = 1 for a clip of 10 s), so row w of an output is
// window w, segments [10 w, 10 w + 10); nullopt when the run has nothing for that video.
std::optional<models::Outputs> runOutputs(const store::Store& store, store::RunId run,
                                          store::VideoId video);

// Checkpoint name for a model row in the store: "<variant> <file name> (<folder>)".
std::string modelName(const models::ModelConfig& config, const std::filesystem::path& checkpoint);

// The name of a run not given one, which tells runs apart in the lists: the model's name
// (above) and when it ran, "<variant> <file name> (<folder>), <yyyy-MM-dd hh:mm:ss>".
std::string defaultRunName(const models::ModelConfig& config,
                           const std::filesystem::path& checkpoint, const std::string& when);

}  // namespace avvp::workspace
