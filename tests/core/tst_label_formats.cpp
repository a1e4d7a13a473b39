// Label-file formats: every format round-trips a document exactly (times in ms), the
// tier formats merge overlaps and cover the time axis, foreign files of each format
// read as documented, and malformed files name their file and line. Praat itself opens
// our TextGrids when it is installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/formats/audacity_labels.h"
#include "core/formats/dcase_tsv.h"
#include "core/formats/elan_eaf.h"
#include "core/formats/json_labels.h"
#include "core/formats/label_io.h"
#include "core/formats/praat_textgrid.h"

namespace fs = std::filesystem;
using namespace avvp::core;

namespace {

const fs::path kData = fs::path(AVVP_SOURCE_DIR) / "tests" / "data" / "formats";

LabelEvent ev(Modality m, const char* cls, std::int64_t on, std::int64_t off) {
    LabelEvent e;
    e.modality = m;
    e.cls = *classIndex(cls);
    e.onsetMs = on;
    e.offsetMs = off;
    return e;
}

// Two videos with events of both modalities, fractional times, several classes, an
// event at the very start and one at the very end, no same-class overlaps.
LabelDocument sample() {
    LabelDocument doc;
    auto& a = doc.video("-0A9suni5YA_30_40");
    a.covers = {true, true};
    a.split = "test";
    a.durationMs = 10000;
    a.weak = (ClassSet{1} << 0) | (ClassSet{1} << 3);
    a.events = {ev(Modality::Audio, "Speech", 0, 1500), ev(Modality::Audio, "Speech", 2250, 4001),
                ev(Modality::Audio, "Dog", 1000, 9999), ev(Modality::Visual, "Dog", 0, 10000),
                ev(Modality::Visual, "Frying_(food)", 3333, 6667)};
    auto& b = doc.video("user clip (1)");
    b.covers = {true, true};
    b.durationMs = 12500;
    b.events = {ev(Modality::Visual, "Baby_cry_infant_cry", 10500, 12500),
                ev(Modality::Audio, "Clapping", 1, 2)};
    return doc;
}

std::vector<std::tuple<std::string, int, int, std::int64_t, std::int64_t>> flat(
    const LabelDocument& d) {
    std::vector<std::tuple<std::string, int, int, std::int64_t, std::int64_t>> out;
    for (const auto& v : d.videos)
        for (const auto& e : v.events)
            out.emplace_back(v.filename, static_cast<int>(e.modality), e.cls, e.onsetMs,
                             e.offsetMs);
    std::sort(out.begin(), out.end());
    return out;
}

// A fresh folder, removed with everything in it at the end of the scope.
struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name)
        : dir(fs::temp_directory_path() /
              ("avvp_tst_formats_" + std::to_string(::getpid()) + "_" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs fn and expects an InputError naming the file's name and the line.
template <class Fn>
void expectError(Fn fn, const std::string& file, long line, const std::string& reasonPart) {
    try {
        fn();
        FAIL() << "no error for " << file;
    } catch (const InputError& e) {
        EXPECT_NE(e.file().find(file), std::string::npos) << e.what();
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_NE(e.reason().find(reasonPart), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(LabelFormats, SecondsText) {
    EXPECT_EQ(formatSeconds(0), "0");
    EXPECT_EQ(formatSeconds(1500), "1.5");
    EXPECT_EQ(formatSeconds(2000), "2");
    EXPECT_EQ(formatSeconds(1), "0.001");
    EXPECT_EQ(formatSeconds(123456789), "123456.789");
    EXPECT_EQ(parseSeconds("1.5"), 1500);
    EXPECT_EQ(parseSeconds(" 2 "), 2000);
    EXPECT_EQ(parseSeconds("0.30000000000000004"), 300);
    EXPECT_EQ(parseSeconds("1e-3"), 1);
    EXPECT_EQ(parseSeconds("1.0005"), 1001);  // nearest millisecond
    EXPECT_FALSE(parseSeconds("-1"));
    EXPECT_FALSE(parseSeconds("nan"));
    EXPECT_FALSE(parseSeconds("1.5s"));
    EXPECT_FALSE(parseSeconds(""));
    for (std::int64_t ms : {0, 1, 999, 1000, 4001, 3333, 10500, 86399999})
        EXPECT_EQ(parseSeconds(formatSeconds(ms)), ms);
}

TEST(LabelFormats, TierNames) {
    EXPECT_EQ(tierName(Modality::Visual, 5), "visual/Frying_(food)");
    const auto t = parseTierName("audio/Speech");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->modality, Modality::Audio);
    EXPECT_EQ(t->cls, 0);
    EXPECT_FALSE(parseTierName("visual")->cls);
    EXPECT_FALSE(parseTierName("audio/Barking"));
    EXPECT_FALSE(parseTierName("notes"));
}

// Every format through its files and back gives the same events.
TEST(LabelFormats, EveryFormatRoundTrips) {
    const auto doc = sample();
    for (const auto& info : labelFormats()) {
        if (info.format == LabelFormat::Llp) continue;  // integer seconds: below
        SCOPED_TRACE(std::string(info.name));
        const Scratch dirScratch(std::string(info.name));
        const auto& dir = dirScratch.dir;
        const auto out = info.format == LabelFormat::Json ? dir / "labels.json" : dir;
        const auto written = writeLabelFiles(info.format, doc, out);
        EXPECT_EQ(written.merged, 0U);
        const auto back = readLabelFiles(info.format, {out});
        EXPECT_EQ(flat(back), flat(doc));
        if (info.format == LabelFormat::Dcase) continue;  // knows only the videos with events
        ASSERT_EQ(back.videos.size(), 2U);
        for (const auto& v : back.videos) {
            EXPECT_TRUE(v.covered(Modality::Audio));
            EXPECT_TRUE(v.covered(Modality::Visual));
        }
        if (info.format == LabelFormat::TextGrid || info.format == LabelFormat::Json) {
            EXPECT_EQ(back.find("user clip (1)")->durationMs, 12500);
        }
        if (info.format == LabelFormat::Json) {
            const auto* a = back.find("-0A9suni5YA_30_40");
            EXPECT_EQ(a->split, "test");
            EXPECT_EQ(a->weak, doc.videos[0].weak);
        }
    }
}

TEST(LabelFormats, LlpWidensToWholeSeconds) {
    auto doc = sample();
    doc.videos.pop_back();  // the 12.5 s video: LLP CSV holds 10 s clips (below)
    const Scratch dirScratch("llp");
    const auto& dir = dirScratch.dir;
    const auto written = writeLabelFiles(LabelFormat::Llp, doc, dir);
    EXPECT_EQ(written.rounded, 4U);  // the events not on whole seconds
    EXPECT_TRUE(fs::exists(dir / "AVVP_eval_audio.csv"));
    EXPECT_TRUE(fs::exists(dir / "AVVP_test_pd.csv"));
    EXPECT_TRUE(fs::exists(dir / "AVVP_dataset_full.csv"));
    EXPECT_EQ(readAll(dir / "AVVP_test_pd.csv"),
              "filename\tevent_labels\n-0A9suni5YA_30_40\tSpeech,Dog\n");
    const auto back = readLabelFiles(LabelFormat::Llp, {dir / "AVVP_eval_visual.csv"});
    const auto* a = back.find("-0A9suni5YA_30_40");
    ASSERT_NE(a, nullptr);
    // 3.333-6.667 s covers segments 3..6: written as 3-7.
    EXPECT_EQ(flat(back)[1], std::make_tuple(std::string("-0A9suni5YA_30_40"), 1, 5,
                                             std::int64_t{3000}, std::int64_t{7000}));
    EXPECT_FALSE(a->covered(Modality::Audio));
    const auto weak = readLabelFiles(LabelFormat::Llp, {dir / "AVVP_test_pd.csv"});
    EXPECT_EQ(weak.find("-0A9suni5YA_30_40")->split, "test");
    expectError(
        [&] {
            readLabelFiles(LabelFormat::Llp,
                           {dir / "AVVP_dataset_full.csv", kData / "bad_label.tsv"});
        },
        "bad_label.tsv", 0, "audio or visual");
}

// LLP CSV holds 10 s clips: a longer video, or an event past 10 s of a video of unknown
// length, is refused by name before any file is written (the LLP readers and the AVVP
// scorer would refuse the rows).
TEST(LabelFormats, LlpRefusesVideosLongerThanTenSeconds) {
    const Scratch dirScratch("llp_long");
    const auto out = dirScratch.dir / "out";
    expectError([&] { writeLabelFiles(LabelFormat::Llp, sample(), out); }, "out", 0,
                "'user clip (1)' is 12.5 s long");
    EXPECT_FALSE(fs::exists(out));
    LabelDocument unknown;
    auto& v = unknown.video("own video");
    v.covers = {true, true};
    v.events = {ev(Modality::Audio, "Dog", 24000, 25000)};
    expectError([&] { writeLabelFiles(LabelFormat::Llp, unknown, out); }, "out", 0,
                "'own video' is 25 s long");
    v.events = {ev(Modality::Audio, "Dog", 9000, 10000)};  // within 10 s: written
    EXPECT_EQ(writeLabelFiles(LabelFormat::Llp, unknown, out).files.size(), 2U);
}

// A 25 s video: every format that carries times writes the real ones (the TextGrid's
// tiers span 0..25 s, JSON names the duration) and reads them back exactly.
TEST(LabelFormats, LongVideoRoundTripsWithRealTimes) {
    LabelDocument doc;
    auto& v = doc.video("my_long_video");
    v.covers = {true, true};
    v.durationMs = 25000;
    v.events = {ev(Modality::Audio, "Dog", 24000, 25000),
                ev(Modality::Visual, "Car", 12340, 24980)};
    for (const auto& info : labelFormats()) {
        if (info.format == LabelFormat::Llp) continue;  // refused: above
        SCOPED_TRACE(std::string(info.name));
        const Scratch dirScratch("long_" + std::string(info.name));
        const auto out =
            info.format == LabelFormat::Json ? dirScratch.dir / "l.json" : dirScratch.dir;
        writeLabelFiles(info.format, doc, out);
        const auto back = readLabelFiles(info.format, {out});
        EXPECT_EQ(flat(back), flat(doc));
        if (info.format == LabelFormat::TextGrid || info.format == LabelFormat::Json) {
            EXPECT_EQ(back.find("my_long_video")->durationMs, 25000);
        }
    }
    std::ostringstream tg;
    writeTextGrid(tg, v);
    EXPECT_NE(tg.str().find("xmin = 0 \nxmax = 25 \n"), std::string::npos);
    // A video of unknown length spans its LLP 10 s, or further to its last event.
    LabelVideo unknown;
    unknown.events = {ev(Modality::Audio, "Dog", 1000, 2000)};
    std::ostringstream tg2;
    writeTextGrid(tg2, unknown);
    EXPECT_NE(tg2.str().find("xmin = 0 \nxmax = 10 \n"), std::string::npos);
    unknown.events = {ev(Modality::Audio, "Dog", 30000, 31500)};
    std::ostringstream tg3;
    writeTextGrid(tg3, unknown);
    EXPECT_NE(tg3.str().find("xmin = 0 \nxmax = 31.5 \n"), std::string::npos);
}

TEST(LabelFormats, TierFormatsMergeOverlapsAndCoverTheAxis) {
    LabelDocument doc;
    auto& v = doc.video("v");
    v.covers = {true, true};
    v.durationMs = 10000;
    v.events = {ev(Modality::Audio, "Dog", 1000, 4000), ev(Modality::Audio, "Dog", 3000, 5000),
                ev(Modality::Audio, "Dog", 5000, 6000)};  // overlapping, then touching
    std::ostringstream tg;
    EXPECT_EQ(writeTextGrid(tg, v), 1U);
    const auto back = parseTextGrid(tg.str(), "v.TextGrid");
    ASSERT_EQ(back.events.size(), 2U);  // touching intervals stay apart
    EXPECT_EQ(back.events[0].offsetMs, 5000);
    // The Dog tier: gap, 1-5, 5-6, gap to the end; every tier spans 0..10.
    EXPECT_NE(tg.str().find("name = \"audio/Dog\" \n        xmin = 0 \n        xmax = 10 \n"
                            "        intervals: size = 4 \n"),
              std::string::npos);
    EXPECT_NE(tg.str().find("size = 50"), std::string::npos);
    std::ostringstream eaf;
    EXPECT_EQ(writeEaf(eaf, v, {.date = "2024-01-01T00:00:00Z"}), 1U);
    EXPECT_EQ(parseEaf(eaf.str(), "v.eaf").events.size(), 2U);
    // The vocabulary is the 25 classes, and every tier uses it.
    EXPECT_NE(eaf.str().find("<CONTROLLED_VOCABULARY CV_ID=\"avvp-classes\">"), std::string::npos);
    EXPECT_NE(eaf.str().find(">Clapping</CVE_VALUE>"), std::string::npos);
    EXPECT_NE(eaf.str().find("TIER_ID=\"visual/Clapping\""), std::string::npos);
}

TEST(LabelFormats, ForeignFilesRead) {
    std::vector<Anomaly> notes;
    const auto eaf = parseEaf(readAll(kData / "other_tool.eaf"), "other_tool.eaf", &notes);
    ASSERT_EQ(eaf.events.size(), 3U);
    EXPECT_EQ(eaf.media, "file:///data/v/abc.mp4");
    LabelDocument d;
    d.videos.push_back(eaf);
    EXPECT_EQ(flat(d), (decltype(flat(d)){
                           {"", 0, 0, 250, 1750}, {"", 0, 3, 250, 4000}, {"", 1, 3, 1750, 4000}}));
    ASSERT_EQ(notes.size(), 1U);
    EXPECT_EQ(notes[0].kind, AnomalyKind::Ignored);
    EXPECT_EQ(notes[0].line, 30);

    notes.clear();
    const auto tg = parseTextGrid(readAll(kData / "short.TextGrid"), "short.TextGrid", &notes);
    ASSERT_EQ(tg.events.size(), 2U);
    EXPECT_EQ(tg.events[0].cls, 3);
    EXPECT_EQ(tg.events[0].onsetMs, 2500);
    EXPECT_EQ(tg.events[1].modality, Modality::Visual);
    EXPECT_EQ(tg.events[1].offsetMs, 1250);
    ASSERT_EQ(notes.size(), 1U);  // the point tier
    EXPECT_EQ(notes[0].line, 22);

    // Praat writes UTF-16 when a label is not ASCII.
    const std::string utf8 = readAll(kData / "short.TextGrid");
    std::string utf16 = "\xFF\xFE";
    for (char c : utf8) {
        utf16 += c;
        utf16 += '\0';
    }
    EXPECT_EQ(parseTextGrid(utf16, "utf16.TextGrid").events.size(), 2U);

    notes.clear();
    const auto labels =
        parseAudacityLabels("1.000000\t2.500000\tDog\n\\\t100.0\t2000.0\n3\t3\tCat\r\n",
                            "x.audio.txt", Modality::Audio, &notes);
    ASSERT_EQ(labels.size(), 1U);
    EXPECT_EQ(labels[0].offsetMs, 2500);
    ASSERT_EQ(notes.size(), 1U);  // the point label
    EXPECT_EQ(notes[0].line, 3);

    const auto dcase =
        parseDcaseTsv("filename\tonset\toffset\tevent_label\nv1\t\t\t\nv2\t0.5\t1\tCat\n", "d.tsv",
                      Modality::Visual);
    ASSERT_EQ(dcase.videos.size(), 2U);
    EXPECT_TRUE(dcase.videos[0].events.empty());
    EXPECT_TRUE(dcase.videos[0].covered(Modality::Visual));
    EXPECT_FALSE(dcase.videos[0].covered(Modality::Audio));
}

TEST(LabelFormats, MalformedFilesNameFileAndLine) {
    auto dcase = [](const char* f) {
        return
            [f] { readLabelFiles(LabelFormat::Dcase, {kData / f}, {.modality = Modality::Audio}); };
    };
    expectError(dcase("bad_label.tsv"), "bad_label.tsv", 3, "unknown event_label 'Dogg'");
    expectError(dcase("bad_columns.tsv"), "bad_columns.tsv", 3, "columns");
    expectError(dcase("bad_time.tsv"), "bad_time.tsv", 2, "onset 'x1'");
    auto read = [](LabelFormat f, const char* file) {
        return [f, file] { readLabelFiles(f, {kData / file}); };
    };
    expectError(read(LabelFormat::Audacity, "bad_label.audio.txt"), "bad_label.audio.txt", 3,
                "unknown label 'Bark'");
    expectError(read(LabelFormat::Audacity, "bad_time.visual.txt"), "bad_time.visual.txt", 2,
                "start 'abc'");
    expectError(read(LabelFormat::TextGrid, "bad_label.TextGrid"), "bad_label.TextGrid", 18,
                "unknown label 'Doggo'");
    expectError(read(LabelFormat::TextGrid, "truncated.TextGrid"), "truncated.TextGrid", 17,
                "found the end of the file");
    expectError(read(LabelFormat::Eaf, "bad_xml.eaf"), "bad_xml.eaf", 7, "not well-formed XML");
    expectError(read(LabelFormat::Eaf, "bad_value.eaf"), "bad_value.eaf", 15, "'Barking'");
    expectError(read(LabelFormat::Json, "bad_class.json"), "bad_class.json", 4,
                "videos[0].events[1].class: unknown class 'Doggo'");
    expectError(read(LabelFormat::Json, "bad_syntax.json"), "bad_syntax.json", 4, "not valid JSON");
    expectError(read(LabelFormat::Json, "bad_time.json"), "bad_time.json", 6,
                "videos[1].events[0].offset: must be after the onset");
    expectError(
        [] {
            parseTextGrid("File type = \"ooTextFile\"\nObject class = \"Sound\"\n", "s.TextGrid");
        },
        "s.TextGrid", 2, "not a TextGrid");
    expectError([] { readLabelFiles(LabelFormat::Eaf, {kData / "missing.eaf"}); }, "missing.eaf", 0,
                "cannot open");
    const Scratch emptyScratch("empty");
    const auto& empty = emptyScratch.dir;
    expectError([&] { readLabelFiles(LabelFormat::Eaf, {empty}); }, "empty", 0, "holds no .eaf");
}

// Values echoed in messages cannot mislead (issue 19, item 4): ESC and CR escaped, a NUL
// does not cut a class name (so "Speech\0" is not reported as the valid 'Speech'), and a
// long value is cut with its length.
TEST(LabelFormats, EchoedValuesEscapedAndBounded) {
    auto reason = [](auto fn) {
        try {
            fn();
        } catch (const InputError& e) {
            return e.reason();
        }
        return std::string("no error");
    };
    const std::string dcaseHead = "filename\tonset\toffset\tevent_label\n";
    const std::string esc = "v1\t0\t1\t\x1b[2J\rFake\n";
    EXPECT_EQ(reason([&] { parseDcaseTsv(dcaseHead + esc, "d.tsv", Modality::Audio); }),
              "unknown event_label '\\x1b[2J\\rFake' (not one of the 25 LLP classes)");
    const std::string nul = std::string("v1\t0\t1\tSpeech") + '\0' + "\n";
    EXPECT_EQ(reason([&] { parseDcaseTsv(dcaseHead + nul, "d.tsv", Modality::Audio); }),
              "unknown event_label 'Speech\\0' (not one of the 25 LLP classes)");
    const std::string json = std::string(R"({"videos": [{"filename": "v", "events": [)") +
                             R"({"modality": "audio", "class": "Speech\u0000\u001b", )" +
                             R"("onset": 0, "offset": 1}]}]})";
    EXPECT_EQ(reason([&] { parseJsonLabels(json, "j.json"); }),
              "videos[0].events[0].class: unknown class 'Speech\\0\\x1b' (not one of the 25 "
              "LLP classes)");
    const std::string big = "v1\t0\t1\t" + std::string(1 << 20, 'x') + "\n";
    const auto r = reason([&] { parseDcaseTsv(dcaseHead + big, "d.tsv", Modality::Audio); });
    EXPECT_LT(r.size(), 200U) << r.substr(0, 200);
    EXPECT_NE(r.find("(1048576 bytes)"), std::string::npos) << r.substr(0, 200);
}

TEST(LabelFormats, WritersRefuseNamesThatAreNoFileNames) {
    LabelDocument doc;
    doc.video("../escape").covers = {true, true};
    const Scratch dir("bad_names");
    EXPECT_THROW(writeLabelFiles(LabelFormat::Eaf, doc, dir.dir), InputError);
}

// Praat itself reads what we write: tier count, names and every interval.
TEST(LabelFormats, PraatOpensOurTextGrids) {
    std::string praat;
    for (const char* p : {"/usr/bin/praat_nogui", "/usr/bin/praat"})
        if (fs::exists(p)) {
            praat = p;
            break;
        }
    if (praat.empty()) GTEST_SKIP() << "praat is not installed (Debian package praat): not checked";
    const Scratch dirScratch("praat");
    const auto& dir = dirScratch.dir;
    const auto doc = sample();
    writeLabelFiles(LabelFormat::TextGrid, doc, dir);
    const auto script = dir / "dump.praat";
    std::ofstream(script)
        << "form Dump\n  sentence file x\nendform\n"
           "tg = Read from file: file$\n"
           "n = Get number of tiers\nwriteInfoLine: n\n"
           "for i to n\n  m = Get number of intervals: i\n"
           "  for j to m\n    lab$ = Get label of interval: i, j\n"
           "    if lab$ <> \"\"\n      t1 = Get start time of interval: i, j\n"
           "      t2 = Get end time of interval: i, j\n"
           "      tier$ = Get tier name: i\n"
           "      appendInfoLine: tier$, \" \", lab$, \" \", fixed$(t1, 3), \" \", fixed$(t2, 3)\n"
           "    endif\n  endfor\nendfor\n";
    for (const auto& v : doc.videos) {
        const auto out = dir / "out.txt";
        const std::string cmd = praat + " --run '" + script.string() + "' '" +
                                (dir / (v.filename + ".TextGrid")).string() + "' > '" +
                                out.string() + "' 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << readAll(out);
        std::istringstream in(readAll(out));
        std::string line;
        std::getline(in, line);
        EXPECT_EQ(line, "50");
        // Praat prints "tier label start end"; compare the times as milliseconds.
        std::vector<std::string> got, want;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string tier, label;
            double t1 = 0, t2 = 0;
            fields >> tier >> label >> t1 >> t2;
            char buf[128];
            std::snprintf(buf, sizeof buf, "%s %s %lld %lld", tier.c_str(), label.c_str(),
                          static_cast<long long>(std::llround(t1 * 1000)),
                          static_cast<long long>(std::llround(t2 * 1000)));
            got.push_back(buf);
        }
        auto events = v.events;
        sortEvents(events);
        for (const auto& e : events) {
            char buf[128];
            std::snprintf(buf, sizeof buf, "%s %s %lld %lld", tierName(e.modality, e.cls).c_str(),
                          std::string(kClassNames[static_cast<std::size_t>(e.cls)]).c_str(),
                          static_cast<long long>(e.onsetMs), static_cast<long long>(e.offsetMs));
            want.push_back(buf);
        }
        EXPECT_EQ(got, want) << v.filename;
    }
}

// Found by fuzz/fuzz_textgrid: an interval or tier count beyond `long` was converted to one
// (undefined behaviour; the tiers or intervals were then read as none).
TEST(LabelFormats, TextGridCountsLargerThanTheFile) {
    const std::string text =
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n10\n<exists>\n1\n"
        "\"IntervalTier\"\n\"audio/Dog\"\n0\n10\n1e30\n0\n10\n\"Dog\"\n";
    try {
        parseTextGrid(text, "huge.TextGrid");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("huge.TextGrid:12: the number of intervals"),
                  std::string::npos)
            << e.what();
    }
    const std::string tiers =
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n10\n<exists>\n1e30\n";
    try {
        parseTextGrid(tiers, "tiers.TextGrid");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("tiers.TextGrid:7: the number of tiers"),
                  std::string::npos)
            << e.what();
    }
}

// A time too large for int64 milliseconds (found by reading the fuzzed reader): refused with
// its line, not rounded to an unspecified value.
TEST(LabelFormats, TextGridTimesBeyondRangeAreRefused) {
    const std::string duration =
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n1e30\n<exists>\n0\n";
    try {
        parseTextGrid(duration, "long.TextGrid");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("long.TextGrid:5: the time"), std::string::npos)
            << e.what();
    }
    const std::string onset =
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n10\n<exists>\n1\n"
        "\"IntervalTier\"\n\"audio/Dog\"\n0\n10\n1\n5e20\n6e20\n\"Dog\"\n";
    try {
        parseTextGrid(onset, "onset.TextGrid");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("onset.TextGrid:15: the time"), std::string::npos)
            << e.what();
    }
}
