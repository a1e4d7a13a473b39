// Output files written whole or not at all (issue 19, item 6): core::OutputFile and
// writeFileWith, and core's writers on top of them (writeNpy, writeDenseLabels). A writer
// that throws midway or a full disk (a small tmpfs; needs mount(2), so root in a VM, and is
// skipped with a message where it fails) leaves the old target as it was, or no file at
// all, and never a temporary beside it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/llp_files.h"
#include "core/npy.h"
#include "core/output_file.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::core;

namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> filesIn(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(folder)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

class OutputFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("avvp_output_file_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        tmpfs_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    // A 32 KiB tmpfs under the test folder; false (skipReason() says why) when mount(2) fails.
    bool mountSmallTmpfs() {
        mnt_ = dir_ / "tmpfs";
        tmpfs_ = std::make_unique<avvp::test::SmallTmpfs>(mnt_, "32k");
        return tmpfs_->mounted();
    }
    const std::string& skipReason() const { return tmpfs_->skipReason(); }
    fs::path dir_, mnt_;
    std::unique_ptr<avvp::test::SmallTmpfs> tmpfs_;
};

TEST_F(OutputFileTest, WriterThrowingMidwayKeepsTheOldTarget) {
    const auto target = dir_ / "out.tsv";
    std::ofstream(target, std::ios::binary) << "old content\n";
    EXPECT_THROW(writeFileWith(target,
                               [](std::ostream& o) {
                                   o << "half of the new";
                                   throw std::runtime_error("disk gone");
                               }),
                 std::runtime_error);
    EXPECT_EQ(readAll(target), "old content\n");
    EXPECT_EQ(filesIn(dir_), std::vector<std::string>{"out.tsv"});
    const auto fresh = dir_ / "fresh.tsv";
    EXPECT_THROW(writeFileWith(fresh, [](std::ostream&) { throw std::runtime_error("x"); }),
                 std::runtime_error);
    EXPECT_FALSE(fs::exists(fresh));
    writeFileWith(target, [](std::ostream& o) { o << "new\n"; });
    EXPECT_EQ(readAll(target), "new\n");
    EXPECT_EQ(filesIn(dir_), std::vector<std::string>{"out.tsv"});
}

// writeDenseLabels refuses a filename it cannot write in the second row: before, the first
// row and the header were already in the (truncated) target.
TEST_F(OutputFileTest, LabelWriterFailingMidwayKeepsTheOldTarget) {
    const auto target = dir_ / "pred_audio.csv";
    std::ofstream(target, std::ios::binary) << "old content\n";
    const std::vector<DenseLabelRow> rows = {{"a", 0, 1, 0, 0}, {"b\tc", 0, 1, 0, 0}};
    EXPECT_THROW(writeDenseLabels(target, rows), std::invalid_argument);
    EXPECT_EQ(readAll(target), "old content\n");
    EXPECT_EQ(filesIn(dir_), std::vector<std::string>{"pred_audio.csv"});
}

TEST_F(OutputFileTest, NpyOnAFullDiskLeavesNoPartialFile) {
    if (!mountSmallTmpfs()) GTEST_SKIP() << skipReason();
    const std::vector<float> small(16, 1.0F);
    const std::vector<float> big(64 * 1024, 2.0F);  // 256 KiB: more than the disk holds
    const auto target = mnt_ / "frame_prob.npy";
    writeNpy(target, small, {16});
    const auto old = readAll(target);

    // An existing target keeps its old bytes.
    try {
        writeNpy(target, big, {static_cast<std::int64_t>(big.size())});
        ADD_FAILURE() << "writing 256 KiB to a 32 KiB tmpfs did not fail";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("frame_prob.npy"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("disk full"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(readAll(target) == old)
        << "the old target was replaced (now " << fs::file_size(target) << " bytes)";
    EXPECT_EQ(filesIn(mnt_), std::vector<std::string>{"frame_prob.npy"});

    // A new target is not created at all; neither is a temporary.
    const auto fresh = mnt_ / "global_prob.npy";
    EXPECT_THROW(writeNpy(fresh, big, {static_cast<std::int64_t>(big.size())}), InputError);
    EXPECT_FALSE(fs::exists(fresh));
    EXPECT_EQ(filesIn(mnt_), std::vector<std::string>{"frame_prob.npy"});

    // The double and int64 overloads too.
    const std::vector<double> d(8 * 1024, 1.0);
    EXPECT_THROW(writeNpy(fresh, d, {static_cast<std::int64_t>(d.size())}), InputError);
    const std::vector<std::int64_t> i(8 * 1024, 1);
    EXPECT_THROW(writeNpy(fresh, i, {static_cast<std::int64_t>(i.size())}), InputError);
    EXPECT_EQ(filesIn(mnt_), std::vector<std::string>{"frame_prob.npy"});
    EXPECT_TRUE(readAll(target) == old);
}

TEST_F(OutputFileTest, LabelsOnAFullDiskLeaveNoPartialFile) {
    if (!mountSmallTmpfs()) GTEST_SKIP() << skipReason();
    std::vector<DenseLabelRow> rows(4000, DenseLabelRow{"video_0000000000_1", 0, 10, 3, 0});
    const auto target = mnt_ / "pred_visual.csv";
    EXPECT_THROW(writeDenseLabels(target, rows), InputError);
    EXPECT_FALSE(fs::exists(target));
    EXPECT_TRUE(filesIn(mnt_).empty());
}

}  // namespace
