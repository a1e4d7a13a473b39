#pragma once
// Internal (LibTorch) header: the Model handle's implementation, checkpoint I/O and the
// conversions between the facade's Arrays and tensors.
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "models/model_api.h"
#include "models/net.h"

namespace avvp::models {

struct Model::Impl {
    std::shared_ptr<Network> net;
    torch::Device device{torch::kCPU};
    const ModelConfig& config() const { return net->config(); }
};

// What a checkpoint file holds besides the weights, for resuming training.
struct TrainingState {
    std::string json;                                // epoch, best score, history (train.cpp)
    std::map<std::string, torch::Tensor> optimizer;  // "<param>.exp_avg", ... and "step"
};

struct LoadedCheckpoint {
    ModelConfig config;
    std::map<std::string, torch::Tensor> weights;  // float32, CPU
    CheckpointFormat format = CheckpointFormat::Native;
    TrainingState training;  // native checkpoints written by train
};

// Reads a native checkpoint or a PyTorch state_dict (zip format of torch.save). For a
// state_dict the config is inferred from the weights and `options`. Throws
// core::InputError(file, 0, reason).
LoadedCheckpoint readCheckpoint(const std::filesystem::path& file, const LoadOptions& options);

// Copies `weights` into the network's parameters; every parameter must be present with
// its shape and no key may be left over (throws core::InputError naming them).
void loadWeights(Network& net, const std::map<std::string, torch::Tensor>& weights,
                 const std::string& file);

// Writes a native checkpoint: a zip that `torch.load` also reads, holding the dict
// {"format": "avvp-checkpoint", "version": 1, "config": <JSON>, "state_dict": {...}} and,
// from training, "training": <JSON> and "optimizer": {...}. Written to a temporary file
// and renamed, so a crash never leaves a half-written checkpoint behind.
void writeCheckpoint(const std::filesystem::path& file, const Network& net,
                     const TrainingState* training = nullptr);

// The state_dict of a network: parameters, then buffers (supplied class-embedding tables).
std::vector<std::pair<std::string, torch::Tensor>> stateDict(const Network& net);

// Builds a model around a network on a device.
Model makeModel(std::shared_ptr<Network> net, const std::string& device);

torch::Tensor toTensor(const Array& a);
Array toArray(const torch::Tensor& t);  // any device / dtype -> float32 host copy

// Eval-mode forward of a checked batch already on the model's device.
NetOutputs forwardTensors(Model::Impl& m, const NetInputs& in);

}  // namespace avvp::models
