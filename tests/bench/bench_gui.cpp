// avvp_bench_gui: what the workspace does on the GUI thread, on the real LLP annotation
// files (11849 videos), each next to its floor measured in the same run: the browser's
// reload against the bare store query, filtering as you type, loading and painting a
// timeline, an edit through the undo stack against Store::apply, and the work that runs
// off the GUI thread (evaluation of the test split, a spectrogram, the demo bootstrap).
//
//   build/bin/avvp_bench_gui [--llp DIR] [--runs N]
#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QUndoStack>
#include <cstdio>
#include <cstring>
#include <string>

#include "app/studio/session_document.h"
#include "app/workspace/demo_project.h"
#include "app/workspace/session.h"
#include "bench_util.h"
#include "core/media/audio_decoder.h"
#include "core/media/spectrogram.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "core/store/store_evaluation.h"
#include "ui/models/video_list_model.h"
#include "ui/timeline/timeline_view.h"

using namespace avvp;
using bench::Clock;
using bench::msSince;

namespace {

template <class F>
bench::Stat time(int runs, F&& f) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        f(i);
        ms.push_back(msSince(t0));
    }
    return bench::summarize(ms);
}

void row(const char* what, const bench::Stat& s, const std::string& baseline = {}) {
    std::printf("| %s | %.2f / %.2f ms | %s |\n", what, s.median, s.p99, baseline.c_str());
}

std::string ms(const bench::Stat& s) {
    char b[64];
    std::snprintf(b, sizeof b, "%.2f / %.2f ms", s.median, s.p99);
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("AVVP_NO_AUDIO", "1");
    QApplication app(argc, argv);
    std::string llp = AVVP_SOURCE_DIR "/resources/llp";
    int runs = 21;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--llp") == 0) llp = argv[i + 1];
        if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[i + 1]);
    }
    QTemporaryDir dir;
    workspace::DemoOptions demo;
    demo.folder = (dir.path() + QStringLiteral("/demo")).toStdString();
    demo.llp = llp;
    demo.renderedVideos = 4;
    std::printf(
        "avvp_bench_gui: %d runs each; median / p99\n\n| what | time | floor / baseline, same run "
        "|\n|---|---|---|\n",
        runs);
    auto t0 = Clock::now();
    const auto project = workspace::ensureDemoProject(demo);
    const double firstBuild = msSince(t0);
    t0 = Clock::now();
    workspace::ensureDemoProject(demo);
    const double cached = msSince(t0);

    workspace::Session session;
    session.open(QString::fromStdString(project.store.string()), QStringLiteral("bench"));
    auto* store = session.store();

    // The browser.
    // Interleaved, so that both see the same machine (it is shared and busy).
    ui::VideoListModel model;
    std::vector<double> queryMs, reloadMs;
    for (int i = 0; i < 2 * runs; ++i) {
        const auto start = Clock::now();
        if (i % 2)
            model.reload(store, {});
        else
            (void)store->videos({});
        (i % 2 ? reloadMs : queryMs).push_back(msSince(start));
    }
    const auto query = bench::summarize(queryMs), reload = bench::summarize(reloadMs);
    row("browser reload, all 11849 videos (query + rows)", reload,
        "the store query alone: " + ms(query));
    ui::VideoFilterProxy proxy;
    proxy.setSourceModel(&model);
    const char* typed[] = {"d", "do", "dog", "dog_", "x", ""};
    const auto filter = time(runs, [&](int i) {
        proxy.setText(QString::fromLatin1(typed[i % 6]));
        (void)proxy.rowCount();
    });
    row("text filter over 11849 rows, per keystroke", filter);
    store::VideoFilter test;
    test.split = core::Split::Test;
    test.nonAlignedOnly = true;
    const auto structural =
        time(runs, [&](int i) { model.reload(store, i % 2 ? test : store::VideoFilter{}); });
    row("split / non-aligned filter change (store query + rows)", structural);

    // The timeline.
    app::SessionDocument doc(&session);
    ui::TimelineView view(&doc);
    view.resize(1100, 520);
    const auto video = store->videoByName(project.playable.front())->id;
    const auto load = time(runs, [&](int) {
        view.setVideo(std::nullopt);
        view.setVideo(video);
    });
    row("timeline: load a video (events + probabilities)", load);
    QImage img(view.size(), QImage::Format_ARGB32_Premultiplied);
    const auto paint = time(runs, [&](int) { view.render(&img); });
    row("timeline: paint 1100x520", paint);

    // An edit through the undo stack, against the store's own apply.
    const auto events = store->events(video, {.source = store::Source::GroundTruth});
    const auto id = events.front().id;
    const auto len = events.front().offsetMs - events.front().onsetMs;
    std::int64_t onset = events.front().onsetMs;
    auto next = [&] { return onset = onset == 0 ? 10000 - len : 0; };  // always a change
    const auto direct = time(runs * 5, [&](int) { store->apply(store::Edit::move(id, next())); });
    const auto undoable =
        time(runs * 5, [&](int) { session.apply(store::Edit::move(id, next())); });
    row("edit as an undoable command (Session::apply + QUndoStack)", undoable,
        "Store::apply alone: " + ms(direct));
    const auto undo = time(runs * 5, [&](int i) {
        if (i % 2)
            session.undoStack()->redo();
        else
            session.undoStack()->undo();
    });
    row("undo / redo through the stack", undo);
    const auto rebuild = time(runs, [&](int) { session.rebuildUndoStack(); });
    row("rebuild the undo stack from the history (restart)", rebuild);

    // Off the GUI thread.
    store::LabelSelection sel;
    sel.source = store::Source::Prediction;
    sel.run = store->runByName(workspace::kDemoRunName)->id;
    sel.split = core::Split::Test;
    const auto eval =
        time(std::max(3, runs / 4), [&](int) { (void)store::evaluateSelection(*store, sel); });
    const std::string avvp =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("avvp")).toStdString();
    std::vector<double> cli;
    for (int i = 0; i < std::max(3, runs / 4); ++i)
        cli.push_back(
            bench::runProcess({avvp, "eval", "--store", project.store.string(), "--run",
                               workspace::kDemoRunName, "--split", "test", "--format", "tsv"}));
    row("evaluate the test split (worker job)", eval,
        "whole `avvp eval --store` process: " + ms(bench::summarize(cli)));
    const auto media = store->video(video)->mediaPath;
    const auto decode = time(std::max(3, runs / 4), [&](int) {
        media::AudioDecoder dec(media, {.format = {16000, 1}});
        (void)dec.readAll();
    });
    const auto spectro =
        time(std::max(3, runs / 4), [&](int) { (void)media::computeSpectrogram(media); });
    row("spectrogram of a 10 s video (worker)", spectro, "decoding its audio alone: " + ms(decode));
    std::printf(
        "| demo project: first build (LLP import, %d videos rendered, stand-in run) | %.0f ms | "
        "|\n",
        project.videosRendered, firstBuild);
    std::printf("| demo project: later starts (cache checked) | %.0f ms | |\n", cached);
    return 0;
}
