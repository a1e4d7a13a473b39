// LLP file readers and writers: the real files (row counts, splits, the anomalies they
// are known to hold), malformed input (InputError with file, line and reason), tolerated
// variations, and writer round trips. Expected numbers were counted independently from
// the files (grep / a few lines of Python), not taken from this code.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/llp_files.h"

namespace fs = std::filesystem;
using namespace avvp::core;

namespace {

const fs::path kLlp = fs::path(AVVP_SOURCE_DIR) / "resources" / "llp";

std::size_t countKind(const std::vector<Anomaly>& a, AnomalyKind k) {
    return static_cast<std::size_t>(
        std::count_if(a.begin(), a.end(), [k](const Anomaly& x) { return x.kind == k; }));
}

std::vector<long> linesOf(const std::vector<Anomaly>& a, AnomalyKind k) {
    std::vector<long> out;
    for (const auto& x : a)
        if (x.kind == k) out.push_back(x.line);
    std::sort(out.begin(), out.end());
    return out;
}

const Anomaly* findAnomaly(const std::vector<Anomaly>& a, AnomalyKind k, long line) {
    for (const auto& x : a)
        if (x.kind == k && x.line == line) return &x;
    return nullptr;
}

std::unordered_set<std::string> allSplitVideos() {
    std::unordered_set<std::string> names;
    for (auto s : kSplits)
        for (const auto& r : readWeakLabels(splitFile(kLlp, s)).rows) names.insert(r.filename);
    return names;
}

// Runs fn, which must throw InputError; returns it for inspection.
InputError expectInputError(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const InputError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw another exception: " << e.what();
        return InputError("", -1, "");
    }
    ADD_FAILURE() << "did not throw";
    return InputError("", -1, "");
}

InputError denseError(const std::string& text, const std::string& name = "pred.csv") {
    return expectInputError([&] { parseDenseLabels(text, name); });
}

InputError weakError(const std::string& text, const std::string& name = "split.csv") {
    return expectInputError([&] { parseWeakLabels(text, name); });
}

const std::string kDenseHeader = "filename\tonset\toffset\tevent_labels\n";
const std::string kWeakHeader = "filename\tevent_labels\n";

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("avvp_tst_llp_files_" + std::to_string(::getpid()) +
                                            "_" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream out(path / name, std::ios::binary);
        out << text;
    }
    static inline int counter = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------
// Real files: counts

TEST(LlpRealFiles, RowCountsPerFile) {
    EXPECT_EQ(readWeakLabels(kLlp / "AVVP_train.csv").rows.size(), 10000U);
    EXPECT_EQ(readWeakLabels(kLlp / "AVVP_val_pd.csv").rows.size(), 649U);
    EXPECT_EQ(readWeakLabels(kLlp / "AVVP_test_pd.csv").rows.size(), 1200U);
    EXPECT_EQ(readWeakLabels(kLlp / "AVVP_dataset_full.csv").rows.size(), 11849U);
    EXPECT_EQ(readDenseLabels(kLlp / "AVVP_eval_audio.csv").rows.size(), 4131U);
    EXPECT_EQ(readDenseLabels(kLlp / "AVVP_eval_visual.csv").rows.size(), 2495U);
    EXPECT_EQ(readDenseLabels(kLlp / "legacy_2020" / "AVVP_eval_audio.csv").rows.size(), 4131U);
}

TEST(LlpRealFiles, FirstAndLastRowsAndLineNumbers) {
    const auto test = readWeakLabels(kLlp / "AVVP_test_pd.csv");
    ASSERT_FALSE(test.rows.empty());
    EXPECT_EQ(test.rows.front().filename, "4YdbENYcIyE_23_33");
    EXPECT_EQ(test.rows.front().classes, ClassSet{1} << 22);  // Baby_cry_infant_cry
    EXPECT_EQ(test.rows.front().line, 2);
    EXPECT_EQ(test.rows[1].classes, (ClassSet{1} << 23) | ClassSet{1});  // Blender,Speech
    EXPECT_EQ(test.rows.back().line, 1201);

    const auto audio = readDenseLabels(kLlp / "AVVP_eval_audio.csv");
    ASSERT_GE(audio.rows.size(), 2U);
    EXPECT_EQ(audio.rows[1].filename, "KSRjje7GH44_60_70");
    EXPECT_EQ(audio.rows[1].onset, 8);
    EXPECT_EQ(audio.rows[1].offset, 10);
    EXPECT_EQ(audio.rows[1].cls, 23);
    EXPECT_EQ(audio.rows[1].line, 3);
    EXPECT_EQ(audio.rows.back().line, 4132);
}

TEST(LlpRealFiles, LoadFolderSplitsAndDenseRows) {
    const auto d = loadLlpFolder(kLlp);
    EXPECT_EQ(d.count(Split::Train), 10000U);
    EXPECT_EQ(d.count(Split::Val), 649U);
    EXPECT_EQ(d.count(Split::Test), 1200U);
    EXPECT_EQ(d.videos.size(), 11849U);
    EXPECT_EQ(d.split(Split::Test).size(), 1200U);
    EXPECT_EQ(d.audioRows, 4131U);
    EXPECT_EQ(d.visualRows, 2495U);
    EXPECT_EQ(d.filesRead.size(), 6U);

    // Dense rows belong to val and test videos only; 14 audio and 11 visual rows name no
    // video, every other row is attached to its video.
    std::size_t audio[3] = {0, 0, 0}, visual[3] = {0, 0, 0};
    for (const auto& v : d.videos) {
        audio[static_cast<int>(v.split)] += v.audio.size();
        visual[static_cast<int>(v.split)] += v.visual.size();
    }
    EXPECT_EQ(audio[0], 0U);
    EXPECT_EQ(visual[0], 0U);
    EXPECT_EQ(audio[1] + audio[2], 4131U - 14U);
    EXPECT_EQ(visual[1] + visual[2], 2495U - 11U);

    // Order: train, val, test, each in file order.
    EXPECT_EQ(d.videos.front().filename, "BjCEufrlXm4_20_30");
    EXPECT_EQ(d.videos[10000].filename, "4O9rI-FpqLg_10_20");
    EXPECT_EQ(d.videos[10649].filename, "4YdbENYcIyE_23_33");

    // The reversed row stays as it is in the file.
    const auto it = std::find_if(d.videos.begin(), d.videos.end(), [](const LlpVideo& v) {
        return v.filename == "8DF2PxdT5tE_390_400";
    });
    ASSERT_NE(it, d.videos.end());
    EXPECT_EQ(it->split, Split::Val);
    EXPECT_TRUE(std::find(it->audio.begin(), it->audio.end(), Event{2, 9, 0}) != it->audio.end());
}

// ---------------------------------------------------------------------------------------
// Real files: anomalies

TEST(LlpRealAnomalies, EvalAudio) {
    const auto f = readDenseLabels(kLlp / "AVVP_eval_audio.csv");
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::ZeroLength),
              (std::vector<long>{48, 66, 100, 129, 137}));
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::Reversed), (std::vector<long>{3770}));
    const auto* rev = findAnomaly(f.anomalies, AnomalyKind::Reversed, 3770);
    ASSERT_NE(rev, nullptr);
    EXPECT_NE(rev->detail.find("8DF2PxdT5tE_390_400"), std::string::npos);
    EXPECT_NE(rev->detail.find("Cheering"), std::string::npos);
    EXPECT_EQ(rev->file, (kLlp / "AVVP_eval_audio.csv").string());
    // Same video and class rows, swept in onset order: 23 start inside the earlier rows'
    // union, 11 start exactly where it ends.
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::Overlap), 23U);
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::Touching), 11U);
    // Ishr8cHsJkc_180_190 Speech 5-6 and 7-8 are repeated on lines 223 and 224.
    EXPECT_NE(findAnomaly(f.anomalies, AnomalyKind::Overlap, 223), nullptr);
    EXPECT_NE(findAnomaly(f.anomalies, AnomalyKind::Overlap, 224), nullptr);
    // LZGMn_8Ky-U_220_230 Speech 1-5 (line 1151) overlaps 0-3 and 4-6.
    EXPECT_NE(findAnomaly(f.anomalies, AnomalyKind::Overlap, 1151), nullptr);
    // McfGMq5A5G8_30_40 Singing 0-2, 2-6, 6-10 on lines 186-188.
    EXPECT_NE(findAnomaly(f.anomalies, AnomalyKind::Touching, 187), nullptr);
    EXPECT_NE(findAnomaly(f.anomalies, AnomalyKind::Touching, 188), nullptr);
    EXPECT_EQ(findAnomaly(f.anomalies, AnomalyKind::Touching, 186), nullptr);
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::Orphan), 0U);  // not known without splits

    const auto orphans = findOrphans(f, allSplitVideos());
    EXPECT_EQ(orphans.size(), 14U);
    EXPECT_EQ(linesOf(orphans, AnomalyKind::Orphan),
              (std::vector<long>{19, 20, 53, 54, 60, 64, 65, 66, 91, 92, 1007, 1008, 3046, 3790}));
    const auto* long400 = findAnomaly(orphans, AnomalyKind::Orphan, 3790);
    ASSERT_NE(long400, nullptr);
    EXPECT_NE(long400->detail.find("19jWnmYnlD8_30_400"), std::string::npos);
    const auto* shortId = findAnomaly(orphans, AnomalyKind::Orphan, 53);
    ASSERT_NE(shortId, nullptr);
    EXPECT_NE(shortId->detail.find("P7x4FV4lg_570_580"), std::string::npos);
}

TEST(LlpRealAnomalies, EvalVisual) {
    const auto f = readDenseLabels(kLlp / "AVVP_eval_visual.csv");
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::ZeroLength), 0U);
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::Reversed), 0U);
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::Overlap), 0U);
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::Touching), (std::vector<long>{115, 116, 1367}));
    EXPECT_EQ(f.anomalies.size(), 3U);
    const auto orphans = findOrphans(f, allSplitVideos());
    EXPECT_EQ(linesOf(orphans, AnomalyKind::Orphan),
              (std::vector<long>{11, 31, 32, 39, 55, 56, 620, 621, 1879, 1880, 2302}));
}

TEST(LlpRealAnomalies, LegacyAudio) {
    const auto f = readDenseLabels(kLlp / "legacy_2020" / "AVVP_eval_audio.csv");
    EXPECT_EQ(countKind(f.anomalies, AnomalyKind::ZeroLength), 5U);
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::Reversed), (std::vector<long>{3770}));
    const auto orphans = findOrphans(f, allSplitVideos());
    EXPECT_EQ(orphans.size(), 17U);
    const auto* babyCry = findAnomaly(orphans, AnomalyKind::Orphan, 930);
    ASSERT_NE(babyCry, nullptr);
    EXPECT_NE(babyCry->detail.find("'Baby_cry_infant_cry'"), std::string::npos);
    EXPECT_NE(findAnomaly(orphans, AnomalyKind::Orphan, 931), nullptr);
    const auto* backtick = findAnomaly(orphans, AnomalyKind::Orphan, 2449);
    ASSERT_NE(backtick, nullptr);
    EXPECT_NE(backtick->detail.find("KvIjsmANkxI_10_20`"), std::string::npos);
    EXPECT_EQ(f.rows[2449 - 2].filename, "KvIjsmANkxI_10_20`");
    EXPECT_EQ(f.rows[930 - 2].filename, "Baby_cry_infant_cry");
    EXPECT_EQ(f.rows[930 - 2].cls, 0);  // Speech
}

TEST(LlpRealAnomalies, WeakLabelFiles) {
    const auto test = readWeakLabels(kLlp / "AVVP_test_pd.csv");
    ASSERT_EQ(test.anomalies.size(), 1U);
    EXPECT_EQ(test.anomalies[0].kind, AnomalyKind::DuplicateClass);
    EXPECT_EQ(test.anomalies[0].line, 894);
    EXPECT_NE(test.anomalies[0].detail.find("LcFWKgFphXI_20_30"), std::string::npos);
    EXPECT_EQ(test.rows[894 - 2].filename, "LcFWKgFphXI_20_30");
    EXPECT_EQ(test.rows[894 - 2].classes, ClassSet{1} << 24);  // Clapping once

    const auto full = readWeakLabels(kLlp / "AVVP_dataset_full.csv");
    EXPECT_EQ(linesOf(full.anomalies, AnomalyKind::DuplicateClass), (std::vector<long>{11543}));
    EXPECT_EQ(full.anomalies.size(), 1U);
    EXPECT_TRUE(readWeakLabels(kLlp / "AVVP_train.csv").anomalies.empty());
    EXPECT_TRUE(readWeakLabels(kLlp / "AVVP_val_pd.csv").anomalies.empty());
}

TEST(LlpRealAnomalies, LoadFolderCollectsEveryKind) {
    const auto d = loadLlpFolder(kLlp);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::ZeroLength), 5U);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::Reversed), 1U);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::Overlap), 23U);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::Touching), 11U + 3U);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::Orphan), 14U + 11U);  // full file: none
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::DuplicateClass), 2U);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::DuplicateVideo), 0U);
    EXPECT_EQ(countKind(d.anomalies, AnomalyKind::EmptyLabels), 0U);
    EXPECT_EQ(d.anomalies.size(), 5U + 1U + 23U + 14U + 25U + 2U);
}

// ---------------------------------------------------------------------------------------
// Malformed input

TEST(LlpMalformed, WrongColumnCount) {
    auto e = denseError(kDenseHeader + "vid_0_10\t0\t5\tDog\nvid_0_10\t0\t5\n");
    EXPECT_EQ(e.file(), "pred.csv");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("expected 4"), std::string::npos) << e.reason();
    EXPECT_NE(e.reason().find("found 3"), std::string::npos) << e.reason();
    EXPECT_NE(std::string(e.what()).find("pred.csv:3: "), std::string::npos) << e.what();

    e = denseError(kDenseHeader + "vid_0_10\t0\t5\tDog\tx\n");
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("found 5"), std::string::npos) << e.reason();

    // Space-separated instead of tab-separated.
    e = weakError(kWeakHeader + "vid_0_10 Dog\n");
    EXPECT_EQ(e.file(), "split.csv");
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("columns"), std::string::npos) << e.reason();
}

TEST(LlpMalformed, UnknownClass) {
    auto e = denseError(kDenseHeader + "a_0_10\t0\t5\tDog\n\na_0_10\t1\t2\tDoggo\n");
    EXPECT_EQ(e.line(), 4);  // the blank line 3 still counts
    EXPECT_NE(e.reason().find("unknown class 'Doggo'"), std::string::npos) << e.reason();

    e = denseError(kDenseHeader + "a_0_10\t0\t5\tdog\n");  // names are case sensitive
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("'dog'"), std::string::npos) << e.reason();

    e = denseError(kDenseHeader + "a_0_10\t0\t5\tDog,Cat\n");  // dense rows name one class
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("'Dog,Cat'"), std::string::npos) << e.reason();

    e = weakError(kWeakHeader + "a_0_10\tSpeech\nb_0_10\tSpeech,Kazoo\n");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("unknown class 'Kazoo'"), std::string::npos) << e.reason();
}

TEST(LlpMalformed, NonIntegerTimes) {
    for (const std::string bad : {"3.5", "abc", "", "1e1", "0x3", "3s"}) {
        auto e = denseError(kDenseHeader + "a_0_10\t" + bad + "\t5\tDog\n");
        EXPECT_EQ(e.line(), 2) << bad;
        EXPECT_NE(e.reason().find("onset '" + bad + "'"), std::string::npos) << e.reason();
        EXPECT_NE(e.reason().find("not an integer"), std::string::npos) << e.reason();
    }
    auto e = denseError(kDenseHeader + "a_0_10\t1\t2\tDog\na_0_10\t1\t9.25\tDog\n");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("offset '9.25'"), std::string::npos) << e.reason();
}

TEST(LlpMalformed, OutOfRangeTimes) {
    auto e = denseError(kDenseHeader + "a_0_10\t-1\t5\tDog\n");
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("onset -1 is outside 0..10"), std::string::npos) << e.reason();
    e = denseError(kDenseHeader + "a_0_10\t0\t5\tDog\na_0_10\t0\t11\tDog\n");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("offset 11 is outside 0..10"), std::string::npos) << e.reason();
    // The limit follows the options.
    DenseReadOptions opt;
    opt.maxTime = 20;
    EXPECT_EQ(parseDenseLabels(kDenseHeader + "a\t0\t20\tDog\n", "x", opt).rows.at(0).offset, 20);
}

TEST(LlpMalformed, BadHeader) {
    auto e = denseError("filename\tonset\tevent_labels\na\t0\tDog\n");
    EXPECT_EQ(e.line(), 1);
    EXPECT_NE(e.reason().find("missing column 'offset'"), std::string::npos) << e.reason();

    e = denseError("filename\tonset\toffset\tonset\tevent_labels\na\t0\t1\t0\tDog\n");
    EXPECT_EQ(e.line(), 1);
    EXPECT_NE(e.reason().find("'onset' appears twice"), std::string::npos) << e.reason();

    e = denseError("");
    EXPECT_EQ(e.file(), "pred.csv");
    EXPECT_EQ(e.line(), 0);  // there is no line to point at
    EXPECT_NE(e.reason().find("empty file"), std::string::npos) << e.reason();

    e = denseError("\xEF\xBB\xBF");  // a BOM and nothing else
    EXPECT_NE(e.reason().find("empty file"), std::string::npos) << e.reason();

    // A weak-label file given where a dense one is expected, and the other way round.
    e = denseError(kWeakHeader + "a\tDog\n", "AVVP_test_pd.csv");
    EXPECT_EQ(e.file(), "AVVP_test_pd.csv");
    EXPECT_EQ(e.line(), 1);
    EXPECT_NE(e.reason().find("missing column 'onset'"), std::string::npos) << e.reason();
    e = weakError("a_0_10\tDog\n");  // no header line at all
    EXPECT_EQ(e.line(), 1);
    EXPECT_NE(e.reason().find("missing column 'filename'"), std::string::npos) << e.reason();
}

TEST(LlpMalformed, DenseFileReadAsWeakLabels) {
    const auto e = weakError("filename\tonset\toffset\tevent_labels\na_0_10\t0\t4\tDog\n");
    EXPECT_EQ(e.file(), "split.csv");
    EXPECT_EQ(e.line(), 1);
    EXPECT_NE(e.reason().find("not a split file"), std::string::npos) << e.reason();
    // Extra columns with other names stay accepted.
    EXPECT_EQ(parseWeakLabels("filename\tonset\tevent_labels\na_0_10\t3\tDog\n", "w").rows.size(),
              1U);
}

TEST(LlpMalformed, NotUtf8) {
    auto e = denseError(kDenseHeader + "a_0_10\t0\t5\tDog\nb\xFF_0_10\t0\t5\tDog\n");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("not UTF-8"), std::string::npos) << e.reason();
    // Latin-1 'é' (0xE9) followed by an ASCII byte: a broken sequence on line 4.
    e = weakError(kWeakHeader + "a\tDog\nb\tCat\ncaf\xE9_0_10\tDog\n");
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(e.reason().find("UTF-8"), std::string::npos) << e.reason();
    // Far into a long ASCII file, at every position within an 8-byte word, and as the
    // very last byte: the line is still counted right.
    std::string longText = kDenseHeader;
    for (int i = 0; i < 100; ++i) longText += "vid_" + std::to_string(i) + "_10\t0\t5\tDog\n";
    for (std::size_t pad = 0; pad < 9; ++pad) {
        e = denseError(longText + std::string(pad, 'x') + "\x80" + "_0_10\t0\t5\tDog\n");
        EXPECT_EQ(e.line(), 102) << pad;
        EXPECT_NE(e.reason().find("UTF-8"), std::string::npos) << e.reason();
    }
    e = denseError(longText + "last\t0\t5\tDog\xC3");
    EXPECT_EQ(e.line(), 102);
    EXPECT_NE(e.reason().find("UTF-8"), std::string::npos) << e.reason();
    // A UTF-16 file (what some spreadsheet exports produce) is refused on line 1.
    e =
        denseError(std::string("\xFF\xFE"
                               "f\0i\0",
                               6));
    EXPECT_EQ(e.line(), 1);
    // Valid multi-byte UTF-8 in a filename is fine.
    EXPECT_EQ(parseWeakLabels(kWeakHeader + "caf\xC3\xA9_0_10\tDog\n", "x").rows.at(0).filename,
              "caf\xC3\xA9_0_10");
}

TEST(LlpMalformed, EmptyFilename) {
    auto e = denseError(kDenseHeader + "a\t0\t5\tDog\n\t0\t5\tDog\n");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("empty filename"), std::string::npos) << e.reason();
    e = weakError(kWeakHeader + "\tDog\n");
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("empty filename"), std::string::npos) << e.reason();
}

TEST(LlpMalformed, MissingFileAndFolder) {
    const auto missing = fs::path(AVVP_SOURCE_DIR) / "no_such_dir" / "AVVP_eval_audio.csv";
    auto e = expectInputError([&] { readDenseLabels(missing); });
    EXPECT_EQ(e.file(), missing.string());
    EXPECT_EQ(e.line(), 0);
    e = expectInputError([&] { readWeakLabels(kLlp); });  // a folder
    EXPECT_NE(e.reason().find("directory"), std::string::npos) << e.reason();
    e = expectInputError([&] { loadLlpFolder(missing); });
    EXPECT_NE(e.reason().find("not a folder"), std::string::npos) << e.reason();
    TempDir empty;
    e = expectInputError([&] { loadLlpFolder(empty.path); });
    EXPECT_NE(e.reason().find("AVVP_test_pd.csv"), std::string::npos) << e.reason();
}

TEST(LlpMalformed, ErrorInFolderNamesTheFile) {
    TempDir dir;
    dir.write("AVVP_test_pd.csv", kWeakHeader + "a_0_10\tDog\n");
    dir.write("AVVP_eval_audio.csv", kDenseHeader + "a_0_10\t0\t5\tDog\na_0_10\t0\t12\tDog\n");
    auto e = expectInputError([&] { loadLlpFolder(dir.path); });
    EXPECT_EQ(e.file(), (dir.path / "AVVP_eval_audio.csv").string());
    EXPECT_EQ(e.line(), 3);
}

// ---------------------------------------------------------------------------------------
// Tolerated variations

TEST(LlpTolerated, CrlfBomBlankLines) {
    const std::string text =
        "\xEF\xBB\xBF"
        "filename\tonset\toffset\tevent_labels\r\n"
        "a_0_10\t0\t5\tDog\r\n"
        "\r\n"
        "   \r\n"
        "b_0_10\t3\t10\tClapping\r\n";
    const auto f = parseDenseLabels(text, "x");
    ASSERT_EQ(f.rows.size(), 2U);
    EXPECT_EQ(f.rows[0].filename, "a_0_10");
    EXPECT_EQ(f.rows[0].cls, 3);
    EXPECT_EQ(f.rows[0].line, 2);
    EXPECT_EQ(f.rows[1].filename, "b_0_10");
    EXPECT_EQ(f.rows[1].onset, 3);
    EXPECT_EQ(f.rows[1].offset, 10);
    EXPECT_EQ(f.rows[1].cls, 24);  // "Clapping", not "Clapping\r"
    EXPECT_EQ(f.rows[1].line, 5);

    const auto w = parseWeakLabels(
        "\xEF\xBB\xBF"
        "filename\tevent_labels\r\na\tSpeech,Dog\r\n",
        "w");
    ASSERT_EQ(w.rows.size(), 1U);
    EXPECT_EQ(w.rows[0].classes, ClassSet{1} | (ClassSet{1} << 3));
}

TEST(LlpTolerated, NoFinalNewlineAndHeaderOnly) {
    const auto f = parseDenseLabels(kDenseHeader + "a\t1\t2\tCat", "x");
    ASSERT_EQ(f.rows.size(), 1U);
    EXPECT_EQ(f.rows[0].cls, 4);
    EXPECT_TRUE(parseDenseLabels(kDenseHeader, "x").rows.empty());
    EXPECT_TRUE(parseWeakLabels("filename\tevent_labels", "x").rows.empty());
}

TEST(LlpTolerated, WholeNumberDecimals) {
    const auto f = parseDenseLabels(kDenseHeader + "a\t3.0\t10.00\tDog\nb\t0.\t1\tDog\n", "x");
    ASSERT_EQ(f.rows.size(), 2U);
    EXPECT_EQ(f.rows[0].onset, 3);
    EXPECT_EQ(f.rows[0].offset, 10);
    EXPECT_EQ(f.rows[1].onset, 0);
}

TEST(LlpTolerated, ExtraColumnsAndOtherOrder) {
    auto f = parseDenseLabels(
        "filename\tonset\toffset\tevent_labels\tscore\n"
        "a\t1\t4\tDog\t0.93\n",
        "x");
    ASSERT_EQ(f.rows.size(), 1U);
    EXPECT_EQ(f.rows[0].onset, 1);
    EXPECT_EQ(f.rows[0].offset, 4);
    EXPECT_EQ(f.rows[0].cls, 3);

    f = parseDenseLabels("event_labels\toffset\tfilename\tonset\nCat\t7\tvid_1\t2\n", "x");
    ASSERT_EQ(f.rows.size(), 1U);
    EXPECT_EQ(f.rows[0].filename, "vid_1");
    EXPECT_EQ(f.rows[0].onset, 2);
    EXPECT_EQ(f.rows[0].offset, 7);
    EXPECT_EQ(f.rows[0].cls, 4);

    const auto w = parseWeakLabels("index\tevent_labels\tfilename\n0\tCello,Banjo\tv\n", "x");
    ASSERT_EQ(w.rows.size(), 1U);
    EXPECT_EQ(w.rows[0].filename, "v");
    EXPECT_EQ(w.rows[0].classes, (ClassSet{1} << 9) | (ClassSet{1} << 10));
}

TEST(LlpTolerated, AnomaliesAreReportedNotThrown) {
    const auto f = parseDenseLabels(kDenseHeader +
                                        "v\t0\t3\tDog\n"   // 2
                                        "v\t3\t5\tDog\n"   // 3 touches line 2
                                        "v\t4\t6\tDog\n"   // 4 overlaps line 3
                                        "v\t8\t9\tDog\n"   // 5 apart
                                        "v\t2\t2\tCat\n"   // 6 zero-length
                                        "v\t9\t1\tCat\n"   // 7 reversed
                                        "v\t0\t3\tCat\n"   // 8 alone (the others add nothing)
                                        "w\t4\t6\tDog\n",  // 9 other video
                                    "x");
    EXPECT_EQ(f.rows.size(), 8U);
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::Touching), (std::vector<long>{3}));
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::Overlap), (std::vector<long>{4}));
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::ZeroLength), (std::vector<long>{6}));
    EXPECT_EQ(linesOf(f.anomalies, AnomalyKind::Reversed), (std::vector<long>{7}));
    EXPECT_EQ(f.anomalies.size(), 4U);

    const auto w = parseWeakLabels(kWeakHeader + "a\tDog\nb\t\na\tCat,Cat\n", "w");
    EXPECT_EQ(w.rows.size(), 3U);
    EXPECT_EQ(linesOf(w.anomalies, AnomalyKind::EmptyLabels), (std::vector<long>{3}));
    EXPECT_EQ(linesOf(w.anomalies, AnomalyKind::DuplicateVideo), (std::vector<long>{4}));
    EXPECT_EQ(linesOf(w.anomalies, AnomalyKind::DuplicateClass), (std::vector<long>{4}));
    EXPECT_EQ(w.rows[1].classes, 0U);
}

TEST(LlpTolerated, LoadFolderDuplicateVideos) {
    TempDir dir;
    dir.write("AVVP_val_pd.csv", kWeakHeader + "a\tDog\nb\tCat\n");
    // 'c' twice in the test file, 'b' also in val.
    dir.write("AVVP_test_pd.csv", kWeakHeader + "c\tDog\nb\tCat\nc\tDog\n");
    const auto d = loadLlpFolder(dir.path);
    EXPECT_EQ(d.videos.size(), 3U);  // a, b (val), c (test)
    EXPECT_EQ(d.count(Split::Val), 2U);
    EXPECT_EQ(d.count(Split::Test), 1U);
    EXPECT_EQ(d.filesRead.size(), 2U);
    // One anomaly per offending row: test line 3 (b is in val) and test line 4 (c again).
    const auto dup = linesOf(d.anomalies, AnomalyKind::DuplicateVideo);
    EXPECT_EQ(dup, (std::vector<long>{3, 4}));
    const auto* cross = findAnomaly(d.anomalies, AnomalyKind::DuplicateVideo, 3);
    ASSERT_NE(cross, nullptr);
    EXPECT_NE(cross->detail.find("more than one split"), std::string::npos) << cross->detail;
    const auto* same = findAnomaly(d.anomalies, AnomalyKind::DuplicateVideo, 4);
    ASSERT_NE(same, nullptr);
    EXPECT_EQ(same->detail.find("more than one split"), std::string::npos) << same->detail;
}

TEST(LlpTolerated, LoadFolderPartialWithOrphans) {
    TempDir dir;
    dir.write("AVVP_test_pd.csv", kWeakHeader + "a\tDog\nb\tCat\n");
    dir.write("AVVP_dataset_full.csv", kWeakHeader + "a\tDog\nb\tCat\nz\tDog\n");
    dir.write("AVVP_eval_visual.csv", kDenseHeader + "a\t0\t5\tDog\nb_\t0\t5\tCat\n");
    const auto d = loadLlpFolder(dir.path);
    EXPECT_EQ(d.videos.size(), 2U);
    EXPECT_EQ(d.audioRows, 0U);
    EXPECT_EQ(d.visualRows, 2U);
    EXPECT_EQ(d.videos[0].visual, (std::vector<Event>{{3, 0, 5}}));
    EXPECT_TRUE(d.videos[1].visual.empty());
    const auto orphan = linesOf(d.anomalies, AnomalyKind::Orphan);
    EXPECT_EQ(orphan, (std::vector<long>{3, 4}));  // visual line 3 (b_), full line 4 (z)
    EXPECT_EQ(d.anomalies.size(), 2U);
}

// ---------------------------------------------------------------------------------------
// Writers

TEST(LlpWriters, DenseRoundTrip) {
    const std::vector<DenseLabelRow> rows = {{"vid_a_0_10", 0, 10, 0, 0},
                                             {"vid_a_0_10", 9, 0, 5, 0},   // reversed kept
                                             {"vid_b_3_13", 4, 4, 24, 0},  // zero-length kept
                                             {"x`y", 2, 7, 21, 0}};
    std::ostringstream out;
    writeDenseLabels(out, rows);
    EXPECT_EQ(out.str().substr(0, kDenseHeader.size()), kDenseHeader);
    const auto f = parseDenseLabels(out.str(), "rt");
    ASSERT_EQ(f.rows.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(f.rows[i].filename, rows[i].filename);
        EXPECT_EQ(f.rows[i].onset, rows[i].onset);
        EXPECT_EQ(f.rows[i].offset, rows[i].offset);
        EXPECT_EQ(f.rows[i].cls, rows[i].cls);
        EXPECT_EQ(f.rows[i].line, static_cast<long>(i) + 2);
    }
    EXPECT_NE(out.str().find("vid_a_0_10\t9\t0\tFrying_(food)\n"), std::string::npos);
}

TEST(LlpWriters, WeakRoundTripCanonicalOrder) {
    const std::vector<WeakLabelRow> rows = {
        {"a", (ClassSet{1} << 24) | ClassSet{1} | (ClassSet{1} << 11), 0},
        {"b", ClassSet{1} << 5, 0},
        {"c", (ClassSet{1} << kNumClasses) - 1, 0}};
    std::ostringstream out;
    writeWeakLabels(out, rows);
    EXPECT_NE(out.str().find("a\tSpeech,Singing,Clapping\n"), std::string::npos) << out.str();
    const auto f = parseWeakLabels(out.str(), "rt");
    ASSERT_EQ(f.rows.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(f.rows[i].filename, rows[i].filename);
        EXPECT_EQ(f.rows[i].classes, rows[i].classes);
    }
    EXPECT_TRUE(f.anomalies.empty());
    EXPECT_EQ(formatClassSet(0), "");
}

TEST(LlpWriters, RealFilesRoundTripThroughFiles) {
    TempDir dir;
    for (const char* name : {"AVVP_eval_audio.csv", "AVVP_eval_visual.csv"}) {
        const auto original = readDenseLabels(kLlp / name);
        writeDenseLabels(dir.path / name, original.rows);
        // The real dense files are written in the canonical form: byte-identical.
        EXPECT_EQ(readTextFile(dir.path / name), readTextFile(kLlp / name)) << name;
        const auto again = readDenseLabels(dir.path / name);
        ASSERT_EQ(again.rows.size(), original.rows.size());
        for (std::size_t i = 0; i < original.rows.size(); ++i) {
            ASSERT_EQ(again.rows[i].filename, original.rows[i].filename);
            ASSERT_EQ(again.rows[i].onset, original.rows[i].onset);
            ASSERT_EQ(again.rows[i].offset, original.rows[i].offset);
            ASSERT_EQ(again.rows[i].cls, original.rows[i].cls);
        }
    }
    const auto test = readWeakLabels(kLlp / "AVVP_test_pd.csv");
    writeWeakLabels(dir.path / "t.csv", test.rows);
    const auto again = readWeakLabels(dir.path / "t.csv");
    ASSERT_EQ(again.rows.size(), 1200U);
    for (std::size_t i = 0; i < test.rows.size(); ++i) {
        ASSERT_EQ(again.rows[i].filename, test.rows[i].filename);
        ASSERT_EQ(again.rows[i].classes, test.rows[i].classes);
    }
    EXPECT_TRUE(again.anomalies.empty());  // the duplicated class is written once
}

TEST(LlpWriters, RejectsUnwritableNames) {
    std::ostringstream out;
    EXPECT_THROW(writeDenseLabels(out, {{"a\tb", 0, 1, 0, 0}}), std::invalid_argument);
    EXPECT_THROW(writeDenseLabels(out, {{"", 0, 1, 0, 0}}), std::invalid_argument);
    EXPECT_THROW(writeWeakLabels(out, {{"a\nb", 1, 0}}), std::invalid_argument);
    auto e = expectInputError(
        [] { writeDenseLabels(fs::path(AVVP_SOURCE_DIR) / "no_such_dir" / "x.csv", {}); });
    EXPECT_EQ(e.line(), 0);
}

TEST(LlpFiles, FeatureIdAndClassNames) {
    EXPECT_EQ(featureId("4YdbENYcIyE_23_33"), "4YdbENYcIyE");
    EXPECT_EQ(classIndex("Frying_(food)").value_or(-1), 5);
    EXPECT_EQ(classIndex("Clapping").value_or(-1), 24);
    EXPECT_FALSE(classIndex("clapping").has_value());
    EXPECT_TRUE(splitFromName("val") == Split::Val);
    EXPECT_FALSE(splitFromName("dev").has_value());
}

TEST(LlpFiles, LlpClipNames) {
    EXPECT_TRUE(isLlpClipName("4YdbENYcIyE_23_33"));
    EXPECT_TRUE(isLlpClipName("-0A9suni5YA_30_40"));
    EXPECT_TRUE(isLlpClipName("synth000042_0_10"));
    EXPECT_FALSE(isLlpClipName("synth000042_0_90"));  // 90 s: not a clip
    EXPECT_FALSE(isLlpClipName("4YdbENYcIyE_23"));
    EXPECT_FALSE(isLlpClipName("my video_0_10"));  // the id is not 11 characters
    EXPECT_FALSE(isLlpClipName("4YdbENYcIyE_a_10"));
    EXPECT_FALSE(isLlpClipName("my_long_video"));
    EXPECT_EQ(anomalyName(AnomalyKind::Refused), "refused");
}
