// avvp_bench_gui: what the workspace does on the GUI thread, on the real LLP annotation
// files (11849 videos), each next to its floor measured in the same run: the browser's
// reload against the bare store query, filtering as you type, loading and painting a
// timeline, an edit through the undo stack against Store::apply, and the work that runs
// off the GUI thread (evaluation of the test split, a spectrogram, the demo bootstrap);
// and a 2-hour video (no media file needed: a store video 7 200 000 ms long with
// thousands of events and a run's probabilities over its 7200 segments; the spectrogram
// path on a generated 2-hour WAV file): loading it, redrawing it at the default span and
// zoomed out to all of it, a scroll step, playback's page-follow, and the spectrogram
// tiles of the visible range.
//
//   build/bin/avvp_bench_gui [--llp DIR] [--runs N] [--long]   (--long: only the 2 hours)
#include <QApplication>
#include <QDir>
#include <QPainter>
#include <QTemporaryDir>
#include <QUndoStack>
#include <cstdio>
#include <cstdlib>
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
#include "ui/timeline/spectrogram_strip.h"
#include "ui/timeline/timeline_layout.h"
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

// A mono 16-bit WAV file of `seconds` at `rate`: a class tone switching every 7 s over
// quiet noise, so that the spectrogram has something to show.
void writeLongWav(const std::string& file, double seconds, int rate) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (!f) return;
    const auto frames = static_cast<std::uint32_t>(seconds * rate);
    auto u32 = [f](std::uint32_t v) { std::fwrite(&v, 4, 1, f); };
    auto u16 = [f](std::uint16_t v) { std::fwrite(&v, 2, 1, f); };
    std::fwrite("RIFF", 1, 4, f);
    u32(36 + frames * 2);
    std::fwrite("WAVEfmt ", 1, 8, f);
    u32(16);
    u16(1);
    u16(1);
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate) * 2);
    u16(2);
    u16(16);
    std::fwrite("data", 1, 4, f);
    u32(frames * 2);
    std::vector<std::int16_t> buf(static_cast<std::size_t>(rate));
    std::uint32_t noise = 12345;
    double phase = 0;
    for (std::uint32_t i = 0; i < frames;) {
        const auto n = std::min<std::uint32_t>(frames - i, static_cast<std::uint32_t>(rate));
        for (std::uint32_t k = 0; k < n; ++k, ++i) {
            const int cls = static_cast<int>(i / (7U * static_cast<std::uint32_t>(rate))) % 25;
            phase += 2 * 3.14159265358979 * 220.0 * std::pow(2.0, cls / 5.0) / rate;
            noise = noise * 1664525U + 1013904223U;
            const double v = 0.3 * std::sin(phase) + 0.01 * ((noise >> 8) / 16777216.0 - 0.5);
            buf[k] = static_cast<std::int16_t>(v * 32767);
        }
        std::fwrite(buf.data(), 2, n, f);
    }
    std::fclose(f);
}

// The timeline of a 2-hour video.
void benchLongVideo(int runs, const QString& dir) {
    constexpr std::int64_t kTwoHours = 7'200'000;
    const auto path = (dir + QStringLiteral("/long.avvpstore")).toStdString();
    store::VideoId video = 0;
    store::RunId runId = 0;
    std::size_t events = 0;
    {
        auto s = store::Store::open(path, {.annotator = "bench"});
        video = s->ensureVideo({.filename = "own_two_hours", .durationMs = kTwoHours});
        // Ground truth: an event of 1-6 s every ~9 s in four classes, audio and visual.
        for (const auto m : {core::Modality::Audio, core::Modality::Visual}) {
            std::vector<store::NewEvent> gt;
            for (std::int64_t t = 0, k = 0; t + 7000 < kTwoHours; t += 9000, ++k) {
                const std::int64_t on = t + (k % 3) * 500;
                gt.push_back({m, static_cast<int>(k % 4) * 3, on, on + 1000 + (k % 5) * 1000});
            }
            events += gt.size();
            s->replaceEvents(video, m, store::Source::GroundTruth, gt);
        }
        store::Run run;
        run.name = "bench-2h";
        runId = s->addRun(run);
        store::SegmentProbabilities p;
        p.video = video;
        p.segments = static_cast<int>(kTwoHours / 1000);
        p.frame.resize(static_cast<std::size_t>(p.segments) * 2 * core::kNumClasses);
        // A class active for 13 s at a time (0.8), the others low (0-0.3): shading
        // everywhere, ~550 predicted events per modality.
        for (std::size_t i = 0; i < p.frame.size(); ++i) {
            const auto c = i % core::kNumClasses, t = i / (2 * core::kNumClasses);
            p.frame[i] = (t / 13) % core::kNumClasses == c
                             ? 0.8F
                             : static_cast<float>((i * 2654435761U) % 1000) / 1000.0F * 0.3F;
        }
        p.global.assign(static_cast<std::size_t>(core::windowCount(p.segments)) * core::kNumClasses,
                        0.8F);
        s->putProbabilities(runId, {p});
        events += s->events(video, {.source = store::Source::Prediction}).size();
    }
    workspace::Session session;
    session.open(QString::fromStdString(path), QStringLiteral("bench"));
    session.setRun(runId);
    app::SessionDocument doc(&session);
    ui::TimelineView view(&doc);
    view.resize(1100, 620);
    const auto load = time(std::max(3, runs / 4), [&](int) {
        view.setVideo(std::nullopt);
        view.setVideo(video);
    });
    // The view sits in a scroll area: a redraw paints what is scrolled into view, 1100 x 620.
    const QRegion shown(0, 0, 1100, 620);
    QImage img(1100, 620, QImage::Format_ARGB32_Premultiplied);
    view.setVideo(video);
    std::printf(
        "\n2-hour video: %zu events, probabilities over 7200 segments, %d class rows "
        "(the view %d px tall in its scroll area, 1100 x 620 of it shown); %d runs "
        "each\n\n| what | time | |\n|---|---|---|\n",
        events, static_cast<int>(view.classes().size()), view.height(), runs);
    row("2 h: load the video (events + probabilities)", load);
    char what[160];
    std::snprintf(what, sizeof what, "2 h: redraw 1100x620 at the default span (%.0f s)",
                  view.visibleSpan());
    const auto redraw = time(runs, [&](int) { view.render(&img, {}, shown); });
    row(what, redraw);
    const double span = view.visibleSpan();
    const auto scroll = time(runs * 4, [&](int i) {
        view.setViewStart(1800.0 + (i % 200) * span / 10.0);
        view.render(&img, {}, shown);
    });
    row("2 h: one scroll step (a tenth of the span) + redraw", scroll);
    const auto play = time(runs * 4, [&](int i) {
        view.setPlayhead(3000.0 + i * 0.04);  // 25 updates a second, paging along
        view.render(&img, {}, shown);
    });
    row("2 h: playhead step while playing (page-follow) + redraw", play);
    view.zoomToFit();
    const auto all = time(runs, [&](int) { view.render(&img, {}, shown); });
    row("2 h: redraw zoomed out to all 7200 s", all);
    const auto zoom = time(runs, [&](int i) {
        view.setVisibleSpan(i % 2 ? 7200.0 : 60.0, 3600.0);
        view.render(&img, {}, shown);
    });
    row("2 h: zoom between 60 s and 2 h + redraw", zoom);

    // The spectrogram path on a generated 2-hour WAV file.
    const auto wav = (dir + QStringLiteral("/two_hours.wav")).toStdString();
    auto t0 = Clock::now();
    writeLongWav(wav, kTwoHours / 1000.0, 8000);
    const double written = msSince(t0);
    view.showDefaultSpan();
    const int fineLevel = ui::SpectrogramStrip::levelFor(span / (view.width() - 200));
    const auto fine = time(std::max(3, runs / 4), [&](int i) {
        (void)ui::SpectrogramStrip::computeTile(wav, fineLevel, 100 + i);
    });
    std::snprintf(what, sizeof what,
                  "2 h spectrogram: one tile at the default span (%.1f s, worker)",
                  ui::SpectrogramStrip::tileSeconds(fineLevel));
    row(what, fine);
    const int coarseLevel = ui::SpectrogramStrip::levelFor(7200.0 / (view.width() - 200));
    const auto coarse =
        time(3, [&](int i) { (void)ui::SpectrogramStrip::computeTile(wav, coarseLevel, i % 2); });
    std::snprintf(what, sizeof what, "2 h spectrogram: one overview tile (%.0f s, worker)",
                  ui::SpectrogramStrip::tileSeconds(coarseLevel));
    row(what, coarse);
    t0 = Clock::now();
    view.setMedia(QString::fromStdString(wav));
    view.waitForSpectrogram(120000);
    const double firstView = msSince(t0);
    const auto redrawSpectro = time(runs, [&](int) { view.render(&img, {}, shown); });
    row("2 h: redraw at the default span with the spectrogram tiles", redrawSpectro);
    t0 = Clock::now();
    view.zoomToFit();
    view.waitForSpectrogram(120000);
    const double overview = msSince(t0);
    std::printf(
        "| 2 h spectrogram: the default view's tiles ready (worker, from setMedia) | "
        "%.0f ms | |\n",
        firstView);
    std::printf("| 2 h spectrogram: zoomed out to 2 h, its tiles ready (worker) | %.0f ms | |\n",
                overview);
    std::printf("| 2 h spectrogram: tiles computed in all | %d | WAV written in %.0f ms |\n",
                view.spectrogram()->computed(), written);
    std::remove(wav.c_str());
}

}  // namespace

constexpr const char* kUsage =
    "usage: avvp_bench_gui [--llp DIR] [--runs N] [--long]\n"
    "\n"
    "Times the workspace's GUI-thread work on the LLP annotation files, each next to its\n"
    "floor measured in the same run, then a 2-hour video.\n"
    "\n"
    "  --llp DIR   the LLP annotation files            [default: resources/llp]\n"
    "  --runs N    runs per measurement (median, p99)  [default: 21]\n"
    "  --long      only the 2-hour video\n"
    "  --help      this text\n";

int main(int argc, char** argv) {
    std::string llp = AVVP_SOURCE_DIR "/resources/llp";
    int runs = 21;
    bool longOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (a == "--long") {
            longOnly = true;
        } else if ((a == "--llp" || a == "--runs") && i + 1 < argc) {
            const std::string v = argv[++i];
            if (a == "--llp") {
                llp = v;
            } else {
                char* end = nullptr;
                const long n = std::strtol(v.c_str(), &end, 10);
                if (v.empty() || *end != '\0' || n < 1 || n > 100000) {
                    std::fprintf(stderr,
                                 "avvp_bench_gui: --runs takes a count from 1, not '%s'\n%s",
                                 v.c_str(), kUsage);
                    return 2;
                }
                runs = static_cast<int>(n);
            }
        } else {
            std::fprintf(stderr, "avvp_bench_gui: unknown option '%s'\n%s", a.c_str(), kUsage);
            return 2;
        }
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("AVVP_NO_AUDIO", "1");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    if (longOnly) {
        benchLongVideo(runs, dir.path());
        return 0;
    }
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
    benchLongVideo(runs, dir.path());
    return 0;
}
