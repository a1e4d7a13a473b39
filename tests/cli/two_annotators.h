#pragma once
// A store for the team commands' CLI tests (agreement, adjudicate): the LLP files imported,
// then two annotators' corrections (Audacity label files, `import --as correction`).
// alice: Dog seen in X 1-2 s. bob: Dog seen in X 1-4 s (2 cells more), Cat heard in Y 0-3 s
// (3 cells). Neither is in the ground truth.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace avvp::test {

inline const std::string kX = "KSRjje7GH44_60_70";  // test split
inline const std::string kY = "4YdbENYcIyE_23_33";  // test split

class TwoAnnotatorsStore : public ::testing::Test {
  protected:
    // Call from the suite's SetUpTestSuite; `name` makes the folder unique.
    static void setUpStore(const std::string& name) {
        namespace fs = std::filesystem;
        dir_ =
            fs::temp_directory_path() / ("avvp_tst_cli_" + name + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "alice");
        fs::create_directories(dir_ / "bob");
        auto r = avvp({"import", "--store", store(), "--llp", kLlp.string(), "--quiet"});
        ASSERT_EQ(r.code, 0) << r.err;
        std::ofstream(dir_ / "alice" / (kX + ".visual.txt")) << "1\t2\tDog\n";
        std::ofstream(dir_ / "bob" / (kX + ".visual.txt")) << "1\t4\tDog\n";
        std::ofstream(dir_ / "bob" / (kY + ".audio.txt")) << "0\t3\tCat\n";
        for (const std::string who : {"alice", "bob"}) {
            r = avvp({"import", "--store", store(), "--format", "audacity", "--as", "correction",
                      "--annotator", who, (dir_ / who).string(), "--quiet"});
            ASSERT_EQ(r.code, 0) << r.err;
        }
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    static std::string store() { return (dir_ / "team.avvpstore").string(); }
    static RunResult avvp(const std::vector<std::string>& args) {
        std::string cmd = quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return runShell(cmd, dir_);
    }
    static inline std::filesystem::path dir_;
};

}  // namespace avvp::test
