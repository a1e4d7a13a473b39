// The pickle program of a torch.save zip (models/torch_pickle; no LibTorch). unpickle
// reports bad programs as std::runtime_error (checkpoint.cpp turns them into InputError).
#include <stdexcept>

#include "fuzz/fuzz_util.h"
#include "models/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto v = avvp::models::pickle::unpickle(avvp::fuzz::bytes(data, size));
        if (v) (void)avvp::models::pickle::describe(*v);
    } catch (const std::runtime_error&) {
    }
    return 0;
}
