#pragma once
// Facade of the models layer for the LibTorch runtime: plain types only, so Qt code
// (ui/, app/) can include it without <torch/torch.h>.
#include <string>
#include <vector>

#include "models/export.h"

namespace avvp::models {

struct DeviceInfo {
    std::string name;  // "cpu", "cuda:0", ...
    std::string description;
};

struct RuntimeInfo {
    std::string torchVersion;
    bool cudaAvailable = false;
    int cudaDevices = 0;
    int cpuThreads = 0;
    std::vector<DeviceInfo> devices;
};

// Queries LibTorch for its version and the devices it can run on.
AVVP_MODELS_API RuntimeInfo runtimeInfo();

// Picks the device for a requested name: "auto" (CUDA when available), "cpu" or
// "cuda[:N]". Throws std::invalid_argument with a clear reason when it can't be had.
AVVP_MODELS_API std::string resolveDevice(const std::string& requested);

}  // namespace avvp::models
