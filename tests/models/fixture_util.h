#pragma once
// Helpers of the model tests that read the PyTorch parity fixtures (tests/data/models):
// the deterministic inputs of the reference scripts and the largest difference of two
// outputs. Plain-types facade only (no LibTorch).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/model_api.h"

namespace avvp::test {

// fixture_input() of tools/pytorch_reference/valor_reference.py, bit for bit.
inline models::Array fixtureInput(std::vector<std::int64_t> shape, std::uint64_t salt) {
    models::Array a;
    a.shape = std::move(shape);
    a.data.resize(static_cast<std::size_t>(a.size()));
    for (std::size_t i = 0; i < a.data.size(); ++i) {
        const std::uint64_t h = (i * 2654435761ULL + salt * 40503ULL) & 0xFFFFFFFFULL;
        a.data[i] =
            static_cast<float>(static_cast<double>(h >> 8) / static_cast<double>(1 << 23) - 1.0);
    }
    return a;
}

// The largest absolute difference of two arrays; a shape mismatch fails the test.
inline double maxDiff(const models::Array& a, const models::Array& b) {
    EXPECT_EQ(a.shape, b.shape);
    double m = 0;
    for (std::size_t i = 0; i < a.data.size() && i < b.data.size(); ++i)
        m = std::max(m, static_cast<double>(std::fabs(a.data[i] - b.data[i])));
    return m;
}

}  // namespace avvp::test
