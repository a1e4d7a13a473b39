#pragma once
// Models in the workspace, through the torch-free facade of the models layer
// (models/model_api.h; this file and everything in ui/ never include <torch/torch.h>):
// describing a checkpoint, reading a video's inputs from the feature files the store
// records for it, a forward pass of one video (the research panels), and a model run over
// many videos that stores its per-segment probabilities as a run.
//
// Everything here runs on a worker thread (a Job) with its own store connection; the
// model is shared (Model::forward is const and takes no gradients).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/llp_dataset.h"
#include "core/store/records.h"
#include "models/model_api.h"

namespace avvp::store {
class Store;
}

namespace avvp::ui {

class JobContext;

using SharedModel = std::shared_ptr<const models::Model>;

// Loads a checkpoint (native or a PyTorch state_dict) on `device` ("auto" takes CUDA when
// there is one). Throws core::InputError naming the file and the reason.
SharedModel loadModel(const std::filesystem::path& checkpoint, const std::string& device = "auto");

// Several lines: variant, sizes, inputs, switches, parameter count, device, provenance.
std::string describeModel(const models::Model& model);

// The inputs of one video (batch of one) from the feature files the store records for it
// (kinds "audio", "visual", "motion"). Throws core::InputError naming the video and what
// is missing or does not fit the model.
models::Inputs videoInputs(const store::Store& store, store::VideoId video,
                           const models::ModelConfig& config);

// One video's forward pass: every named output (batch of one).
models::Outputs forwardVideo(const models::Model& model, const store::Store& store,
                             store::VideoId video);

struct RunRequest {
    std::filesystem::path store;  // the project (opened again on the worker thread)
    SharedModel model;
    std::string checkpoint;  // recorded with the run's model
    // The videos: these ids, else the videos of `split`, else every video.
    std::vector<store::VideoId> videos;
    std::optional<core::Split> split;
    std::string runName;  // "" = "<variant> <checkpoint file> <date time>"
    int batch = 16;
    float frameThreshold = 0.5F, globalThreshold = 0.5F;
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

// Predicts in batches and stores the probabilities (and the thresholded prediction
// events) as one run, in one transaction at the end: a cancelled or failed run leaves
// nothing behind. Reports progress and honours cancellation through `ctx` (JobCancelled).
// Throws core::InputError when no requested video has usable features.
RunSummary runModel(const RunRequest& request, JobContext& ctx);

// λ(c) of S-LOSS (docs/model.md 3.4) for μ: 1 for c <= -0.2, e^|1-μ| for -0.2 < c < 0,
// e^|1-μ| + (1 - e^|1-μ|) c for c >= 0.
double slossLambda(double c, double mu);

// Checkpoint name for a model row in the store: "<variant> <file name>".
std::string modelName(const models::ModelConfig& config, const std::filesystem::path& checkpoint);

}  // namespace avvp::ui
