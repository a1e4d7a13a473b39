#pragma once
// splitmix64: a tiny, fast generator whose sequence is the same on every platform (the
// distributions of <random> are implementation-defined), for synthetic data and
// benchmark inputs that must be reproducible from a seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace avvp::core {

class SplitMix64 {
  public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n).
    int below(int n) { return std::min(n - 1, static_cast<int>(uniform() * n)); }
    // Integer in [lo, hi] (inclusive) by modulo, as tools/make_random_preds.py draws them.
    int between(int lo, int hi) {
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }
    // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
    double normal() {
        if (haveSpare_) {
            haveSpare_ = false;
            return spare_;
        }
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
        haveSpare_ = true;
        return r * std::cos(2.0 * std::numbers::pi * u2);
    }

  private:
    std::uint64_t state_;
    double spare_ = 0.0;
    bool haveSpare_ = false;
};

}  // namespace avvp::core
