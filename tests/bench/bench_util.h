#pragma once
// Timing helpers shared by the benchmarks.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace avvp::bench {

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Order statistics of repeated timings (ms).
struct Stat {
    double median = 0, min = 0, p99 = 0, max = 0;
    int runs = 0;
};

inline Stat summarize(std::vector<double> v) {
    Stat s;
    s.runs = static_cast<int>(v.size());
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    s.min = v.front();
    s.max = v.back();
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s.p99 = v[std::min(n - 1, static_cast<std::size_t>(0.99 * static_cast<double>(n)))];
    return s;
}

// Runs argv (argv[0] a path) with stdout into `outFile` and stderr discarded unless
// `keepStderr`; returns the wall time in ms, or -1 when it could not run or failed.
inline double runProcess(const std::vector<std::string>& argv,
                         const std::filesystem::path& outFile = "/dev/null",
                         bool keepStderr = true) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!keepStderr) posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    const auto t0 = Clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    const double ms = msSince(t0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

}  // namespace avvp::bench
