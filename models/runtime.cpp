#include "models/runtime.h"

#include <torch/torch.h>

#include <stdexcept>

namespace avvp::models {

RuntimeInfo runtimeInfo() {
    RuntimeInfo info;
    info.torchVersion = TORCH_VERSION;
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    info.cpuThreads = at::get_num_threads();
    info.devices.push_back({"cpu", "CPU, " + std::to_string(info.cpuThreads) + " threads"});
    for (int i = 0; i < info.cudaDevices; ++i)
        info.devices.push_back({"cuda:" + std::to_string(i), "CUDA device " + std::to_string(i)});
    return info;
}

std::string resolveDevice(const std::string& requested) {
    const bool cuda = torch::cuda::is_available();
    if (requested.empty() || requested == "auto") return cuda ? "cuda:0" : "cpu";
    if (requested == "cpu") return "cpu";
    if (requested.rfind("cuda", 0) == 0) {
        if (!cuda)
            throw std::invalid_argument("device '" + requested +
                                        "' requested but CUDA is not available here");
        int index = 0;
        if (requested.size() > 4) {
            if (requested[4] != ':')
                throw std::invalid_argument("device '" + requested + "': expected cuda or cuda:N");
            try {
                index = std::stoi(requested.substr(5));
            } catch (const std::exception&) {
                throw std::invalid_argument("device '" + requested + "': expected cuda or cuda:N");
            }
        }
        const auto count = static_cast<int>(torch::cuda::device_count());
        if (index < 0 || index >= count)
            throw std::invalid_argument("device '" + requested + "': only " +
                                        std::to_string(count) + " CUDA device(s) present");
        return "cuda:" + std::to_string(index);
    }
    throw std::invalid_argument("unknown device '" + requested + "' (use auto, cpu or cuda[:N])");
}

}  // namespace avvp::models
