// The benchmark library (models/bench.h) at tiny sizes: its progress counts the
// measurements and ends at 1, cancelling stops it between measurements, and the
// PyTorch baseline's fate is told as a status and a note that names no command-line
// option. The `avvp bench` table is tested through the CLI (tests/cli/tst_cli_models.cpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "models/bench.h"
#include "models/model_api.h"
#include "tests/test_util.h"

using namespace avvp;

namespace {

// Records every report; cancels itself once `cancelAt` reports have come.
class Recorder final : public core::Progress {
  public:
    explicit Recorder(std::size_t cancelAt = 0) : cancelAt_(cancelAt) {}
    void report(double fraction, std::string_view stage) override {
        seen.emplace_back(fraction, std::string(stage));
        if (cancelAt_ > 0 && seen.size() >= cancelAt_) cancel();
    }
    std::vector<std::pair<double, std::string>> seen;

  private:
    std::size_t cancelAt_;
};

models::BenchOptions tiny(const std::string& variant) {
    models::setCpuThreads(1);
    models::BenchOptions o;
    o.model = models::benchConfig(variant);
    o.model.hidden = 16;
    o.model.layers = 1;
    o.model.heads = 2;
    o.model.ff = 16;
    o.device = "cpu";
    o.batches = {1, 2};
    o.trainBatch = 2;
    o.minSeconds = 0.0;
    o.minRepeats = 1;
    o.rounds = 1;
    o.python.clear();
    return o;
}

// A stand-in for bench_reference.py --serve (a shell script, so that no torch is needed):
// it says hello, then answers each request with a row and appends the request to `log`;
// after `answers` requests it fails.
std::filesystem::path fakeReference(const std::filesystem::path& dir, const std::string& log,
                                    int answers = 1000) {
    const auto script = dir / "fake_reference.sh";
    std::ofstream(script) << "echo 'a warning that is no JSON'\n"
                             "echo '{\"torch\": \"fake 1.0\"}'\n"
                             "n=0\n"
                             "while read -r line; do\n"
                             "  n=$((n+1))\n"
                             "  if [ $n -gt "
                          << answers
                          << " ]; then echo 'Traceback: out of memory'; exit 3; fi\n"
                             "  echo \"theirs $line\" >> '"
                          << log
                          << "'\n"
                             "  echo '{\"seconds\": 0.002}'\n"
                             "done\n";
    return script;
}

// Runs the bench, appending "ours <stage>" to `log` as each of our measurements starts
// (the fake references append their requests to the same file).
models::BenchReport runLogged(const models::BenchOptions& o, const std::string& log) {
    return models::runBench(o, [&](const std::string& s) {
        if (s.rfind("pytorch", 0) == 0 || s.rfind("PyTorch", 0) == 0) return;
        std::ofstream(log, std::ios::app) << "ours " << s << "\n";
    });
}

std::vector<std::string> readLines(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST(Bench, ProgressCountsTheMeasurements) {
    auto o = tiny("valor");  // CLAP tokens: every measurement twice (folded, literal)
    Recorder progress;
    o.progress = &progress;
    std::vector<std::string> steps;
    const auto r = models::runBench(o, [&](const std::string& s) { steps.push_back(s); });
    // Forward at 2 batches x 2 frontends, a train step per frontend.
    EXPECT_EQ(r.rows.size(), 6U);
    ASSERT_EQ(progress.seen.size(), 7U);  // one per measurement, then "done" at 1
    EXPECT_EQ(steps.size(), 6U);
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_DOUBLE_EQ(progress.seen[i].first, static_cast<double>(i) / 6.0) << i;
        EXPECT_EQ(progress.seen[i].second, steps[i]) << i;
    }
    EXPECT_EQ(progress.seen[0].second, "forward folded batch 1");
    EXPECT_EQ(progress.seen[5].second, "train step literal");
    EXPECT_DOUBLE_EQ(progress.seen.back().first, 1.0);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NotRequested);
}

TEST(Bench, CancelStopsBeforeTheNextMeasurement) {
    auto o = tiny("link");
    Recorder progress(2);  // cancelled while the second measurement runs
    o.progress = &progress;
    int steps = 0;
    EXPECT_THROW(models::runBench(o, [&](const std::string&) { ++steps; }), core::Cancelled);
    EXPECT_EQ(steps, 2);
}

TEST(Bench, BaselineStatusAndNoteNameNoOption) {
    auto o = tiny("valor");
    o.python = "/usr/bin/python3";
    o.pytorchScript = "/nonexistent/bench_reference.py";
    auto r = models::runBench(o);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NoScript);
    EXPECT_EQ(r.pytorchNote, "PyTorch baseline skipped: bench_reference.py not found");

    o.python = "/nonexistent/python3";
    o.pytorchScript.clear();  // the source tree's script
    r = models::runBench(o);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NoPython);
    EXPECT_EQ(r.pytorchNote, "PyTorch baseline skipped: /nonexistent/python3 not found");

    r = models::runBench(tiny("leap"));
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NoReference);
    EXPECT_EQ(r.pytorchNote, "no PyTorch reference for leap");
}

// --literal-max-batch 0: no literal frontend at all, the train step included (it ran at the
// train batch whatever the limit said).
TEST(Bench, LiteralMaxBatchZeroSkipsTheLiteralTrainStep) {
    auto o = tiny("valor");
    o.literalMaxBatch = 0;
    std::vector<std::string> steps;
    const auto r = models::runBench(o, [&](const std::string& s) { steps.push_back(s); });
    for (const auto& s : steps) EXPECT_EQ(s.find("literal"), std::string::npos) << s;
    int skipped = 0;
    for (const auto& x : r.rows)
        if (x.frontend == "literal") {
            EXPECT_EQ(x.seconds, 0.0) << x.what << " " << x.batch;
            EXPECT_FALSE(x.note.empty());
            ++skipped;
        }
    EXPECT_EQ(skipped, 3);  // forward at batch 1 and 2, the train step
}

// Ours and the reference's measurements alternate round by round (A B A B), and each row
// keeps its rounds; the paired ratio is the median of the rounds' ratios.
TEST(Bench, ReferenceRoundsAlternateWithOurs) {
    avvp::test::TempDir dir("bench");
    const auto log = (dir.path() / "order.log").string();
    auto o = tiny("valor");
    o.rounds = 2;
    o.python = "/bin/sh";
    o.pytorchScript = fakeReference(dir.path(), log).string();
    const auto r = runLogged(o, log);
    ASSERT_EQ(r.pytorch, models::PytorchBaseline::Measured) << r.pytorchNote;
    EXPECT_EQ(r.pytorchVersion, "fake 1.0");
    const auto lines = readLines(log);
    ASSERT_EQ(lines.size(), 24U);  // 6 measurements x 2 rounds x (ours, theirs)
    for (std::size_t i = 0; i < lines.size(); ++i)
        EXPECT_EQ(lines[i].substr(0, 5), i % 2 ? "their" : "ours ") << i << ": " << lines[i];
    EXPECT_EQ(lines[0], "ours forward folded batch 1");
    EXPECT_EQ(lines[1], R"(theirs {"batch":1,"frontend":"folded","what":"forward"})");
    EXPECT_EQ(lines[2], "ours forward folded batch 1");
    EXPECT_EQ(lines[23], R"(theirs {"batch":2,"frontend":"literal","what":"train_step"})");
    int theirs = 0;
    for (const auto& x : r.rows) {
        EXPECT_EQ(x.roundSeconds.size(), 2U) << x.impl << " " << x.what;
        if (x.impl != "pytorch") continue;
        ++theirs;
        EXPECT_DOUBLE_EQ(x.seconds, 0.002);
        const auto* ours = &x;
        for (const auto& y : r.rows)
            if (y.impl == "avvp" && y.what == x.what && y.frontend == x.frontend &&
                y.batch == x.batch)
                ours = &y;
        const auto p = models::pairedRatio(*ours, x);
        EXPECT_EQ(p.rounds, 2);
        EXPECT_LE(p.min, p.median);
        EXPECT_LE(p.median, p.max);
        EXPECT_NEAR(p.min, 0.002 / std::max(ours->roundSeconds[0], ours->roundSeconds[1]), 1e-12);
    }
    EXPECT_EQ(theirs, 6);
}

// A reference that dies midway: the rows it measured stay, ours are all there, and the
// report says it failed with the last line it printed.
TEST(Bench, ReferenceThatDiesIsReportedAndOursGoOn) {
    avvp::test::TempDir dir("bench");
    auto o = tiny("link");
    o.python = "/bin/sh";
    o.pytorchScript = fakeReference(dir.path(), (dir.path() / "log").string(), 1).string();
    const auto r = models::runBench(o);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::Failed);
    EXPECT_EQ(r.pytorchNote, "PyTorch baseline failed: Traceback: out of memory");
    int ours = 0, theirs = 0;
    for (const auto& x : r.rows) (x.impl == "avvp" ? ours : theirs) += 1;
    EXPECT_EQ(ours, 3);    // forward at batch 1 and 2, the train step
    EXPECT_EQ(theirs, 1);  // the one answer it gave
}

namespace {

// A stand-in for a reference with torch.compile: eager rows take 2 ms, compiled ones 1 ms,
// and a compiled train step fails as torch.compile does without a compiler.
std::filesystem::path fakeCompilingReference(const std::filesystem::path& dir,
                                             const std::string& log) {
    const auto script = dir / "fake_compiling_reference.sh";
    std::ofstream(script) << "echo '{\"torch\": \"fake 2.0\", \"compile\": true}'\n"
                             "while read -r line; do\n"
                             "  echo \"theirs $line\" >> '"
                          << log
                          << "'\n"
                             "  case \"$line\" in\n"
                             "    *compiled*train_step*) echo '{\"seconds\": 0, \"note\": "
                             "\"torch.compile failed: no C++ compiler\"}' ;;\n"
                             "    *compiled*) echo '{\"seconds\": 0.001}' ;;\n"
                             "    *) echo '{\"seconds\": 0.002}' ;;\n"
                             "  esac\n"
                             "done\n";
    return script;
}

}  // namespace

// --pytorch-compile: ours, the eager reference and the compiled one in turn (A B C); a
// compiled measurement that fails ends the compiled rows with a note that says where and
// why, and the eager rows go on.
TEST(Bench, CompiledReferenceTakesItsTurnAndStopsWithANote) {
    avvp::test::TempDir dir("bench");
    const auto log = (dir.path() / "order.log").string();
    auto o = tiny("valor");
    o.rounds = 2;
    o.python = "/bin/sh";
    o.pytorchCompiled = true;
    o.pytorchScript = fakeCompilingReference(dir.path(), log).string();
    const auto r = runLogged(o, log);
    ASSERT_EQ(r.pytorch, models::PytorchBaseline::Measured) << r.pytorchNote;
    const auto lines = readLines(log);
    // 4 forward measurements x 2 rounds x (ours, eager, compiled); the folded train step:
    // ours, eager, compiled (fails), then ours, eager; the literal one: (ours, eager) x 2.
    ASSERT_EQ(lines.size(), 24U + 5U + 4U);
    EXPECT_EQ(lines[0], "ours forward folded batch 1");
    EXPECT_EQ(lines[1], R"(theirs {"batch":1,"frontend":"folded","what":"forward"})");
    EXPECT_EQ(lines[2],
              R"(theirs {"batch":1,"compiled":true,"frontend":"folded","what":"forward"})");
    EXPECT_EQ(lines[3], "ours forward folded batch 1");
    EXPECT_EQ(lines[26],
              R"(theirs {"batch":2,"compiled":true,"frontend":"folded","what":"train_step"})");
    EXPECT_EQ(lines[27], "ours train step folded");
    EXPECT_EQ(lines[28], R"(theirs {"batch":2,"frontend":"folded","what":"train_step"})");
    for (std::size_t i = 29; i < lines.size(); ++i)
        EXPECT_EQ(lines[i].find("compiled"), std::string::npos) << lines[i];
    EXPECT_EQ(r.compiledNote,
              "torch.compile rows stopped at train step folded: torch.compile failed: no C++ "
              "compiler");
    int compiled = 0;
    for (const auto& x : r.rows) {
        if (x.impl != "pytorch-compiled") continue;
        ++compiled;
        EXPECT_EQ(x.what, "forward");
        EXPECT_EQ(x.roundSeconds, (std::vector<double>{0.001, 0.001}));
        EXPECT_DOUBLE_EQ(x.seconds, 0.001);
    }
    EXPECT_EQ(compiled, 4);
}

// A reference that does not offer torch.compile is asked for no compiled row, and the
// report says why.
TEST(Bench, CompiledReferenceNotOfferedIsNotAskedFor) {
    avvp::test::TempDir dir("bench");
    const auto log = (dir.path() / "order.log").string();
    auto o = tiny("link");
    o.python = "/bin/sh";
    o.pytorchCompiled = true;
    o.pytorchScript = fakeReference(dir.path(), log).string();
    const auto r = models::runBench(o);
    ASSERT_EQ(r.pytorch, models::PytorchBaseline::Measured) << r.pytorchNote;
    EXPECT_EQ(r.compiledNote, "no torch.compile rows: the reference offers no torch.compile");
    std::ifstream in(log);
    int requests = 0;
    for (std::string line; std::getline(in, line); ++requests)
        EXPECT_EQ(line.find("compiled"), std::string::npos) << line;
    EXPECT_EQ(requests, 3);  // forward at batch 1 and 2, the train step: eager only
    for (const auto& x : r.rows) EXPECT_NE(x.impl, "pytorch-compiled");
}

// The real bench_reference.py, where /usr/bin/python3 has torch: its first line says
// whether torch.compile can be had, and it measures the compiled model or says why not.
TEST(Bench, RealReferenceSaysWhetherItCompiles) {
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "/usr/bin/python3 has no torch";
    auto o = tiny("valor");
    o.batches = {1};
    o.literalMaxBatch = 0;
    o.python = "/usr/bin/python3";
    o.pytorchCompiled = true;
    const auto r = models::runBench(o);
    ASSERT_EQ(r.pytorch, models::PytorchBaseline::Measured) << r.pytorchNote;
    int eager = 0, compiled = 0;
    for (const auto& x : r.rows) {
        eager += x.impl == "pytorch" && x.seconds > 0;
        compiled += x.impl == "pytorch-compiled" && x.seconds > 0;
    }
    EXPECT_EQ(eager, 2);  // forward folded batch 1, the folded train step
    if (r.pytorchVersion.rfind("1.", 0) == 0) {
        EXPECT_EQ(compiled, 0);
        EXPECT_EQ(r.compiledNote,
                  "no torch.compile rows: torch.compile needs PyTorch 2.0 or "
                  "later (this is torch " +
                      r.pytorchVersion + ")");
    } else {
        EXPECT_TRUE(compiled == 2 || !r.compiledNote.empty()) << r.compiledNote;
    }
}

// The compiled path of the real bench_reference.py (its model cache, per-shape warm-up,
// compiled train step and rows), with torch.compile stood in by a function that records
// each model it is given and returns it unchanged, so that it runs on any torch; and a
// torch.compile that raises ends the compiled rows with its error as the note.
TEST(Bench, RealReferenceCompiledPathWithAStandInCompile) {
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "/usr/bin/python3 has no torch";
    avvp::test::TempDir dir("bench");
    const auto script =
        std::filesystem::path(AVVP_SOURCE_DIR) / "tools/pytorch_reference/bench_reference.py";
    auto wrapper = [&](const std::string& name, const std::string& compile) {
        const auto path = dir.path() / name;
        std::ofstream(path) << "exec /usr/bin/python3 -c '\n"
                               "import runpy, sys, torch\n"
                            << compile << "sys.path.insert(0, \"" << script.parent_path().string()
                            << "\")\n"
                               "sys.argv = [\"bench_reference.py\"] + sys.argv[1:]\n"
                               "runpy.run_path(\""
                            << script.string()
                            << "\", run_name=\"__main__\")\n"
                               "' \"$@\"\n";
        return path.string();
    };
    const auto log = (dir.path() / "compiled.log").string();
    auto o = tiny("link");
    o.batches = {1, 2};
    o.rounds = 2;
    o.python = "/bin/sh";
    o.pytorchCompiled = true;
    o.pytorchScript = wrapper("identity.sh",
                              "def stand_in(model):\n"
                              "    open(\"" +
                                  log +
                                  "\", \"a\").write(type(model).__name__ + \"\\n\")\n"
                                  "    return model\n"
                                  "torch.compile = stand_in\n");
    auto r = models::runBench(o);
    ASSERT_EQ(r.pytorch, models::PytorchBaseline::Measured) << r.pytorchNote;
    EXPECT_EQ(r.compiledNote, "");
    int compiled = 0;
    for (const auto& x : r.rows)
        if (x.impl == "pytorch-compiled") {
            ++compiled;
            EXPECT_EQ(x.roundSeconds.size(), 2U) << x.what << " " << x.batch;
            EXPECT_GT(x.seconds, 0.0);
        }
    EXPECT_EQ(compiled, 3);  // forward at batch 1 and 2, the train step
    // One compiled model for the forward rows (both batches), one for the train step.
    EXPECT_EQ(readLines(log), (std::vector<std::string>{"FoldedLink", "FoldedLink"}));

    o.pytorchScript = wrapper("raises.sh",
                              "def stand_in(model):\n"
                              "    raise RuntimeError(\"no working C++ compiler\")\n"
                              "torch.compile = stand_in\n");
    r = models::runBench(o);
    ASSERT_EQ(r.pytorch, models::PytorchBaseline::Measured) << r.pytorchNote;
    EXPECT_EQ(r.compiledNote,
              "torch.compile rows stopped at forward folded batch 1: "
              "torch.compile failed: no working C++ compiler");
    for (const auto& x : r.rows) {
        EXPECT_NE(x.impl, "pytorch-compiled");
        if (x.impl == "pytorch") {
            EXPECT_GT(x.seconds, 0.0) << x.what;
        }
    }
}
