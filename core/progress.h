#pragma once
// The one progress and cancel interface of long work: imports, exports, model runs,
// training, inference, rendering, spectrograms, feature extraction, the demo project.
//
// The work reports as often as it likes (report, or step which also stops it once it was
// cancelled) and polls cancelled() between units of work; whoever runs it implements
// report(): the GUI's job context (app/workspace/job.h), the CLI's progress line below,
// a test. cancel() may be called from any thread.
//
//   void importAll(const Files& files, core::Progress* progress) {   // nullptr: silent
//       for (std::size_t i = 0; i < files.size(); ++i) {
//           core::step(progress, double(i) / files.size(), "reading");  // may throw Cancelled
//           ...
//       }
//   }
//
// Nested work reports into a part of its caller's range with ProgressRange.
#include <atomic>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>

namespace avvp::core {

// Thrown by Progress::throwIfCancelled() (and step()) once the work was cancelled. It
// leaves nothing behind on its way out: a store transaction rolls back, a partial output
// file is removed. Whoever ran the work reports "cancelled", not a failure.
class Cancelled : public std::exception {
  public:
    const char* what() const noexcept override { return "cancelled"; }
};

class Progress {
  public:
    Progress() = default;
    virtual ~Progress() = default;
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // How far the whole work is, a fraction in [0, 1], and what it does now ("epoch
    // 3/60", "video 12 of 1200"). The default implementation ignores it. Called on the
    // worker's thread.
    virtual void report(double fraction, std::string_view stage) {
        (void)fraction;
        (void)stage;
    }
    // Asks the work to stop at its next check; any thread.
    void cancel() noexcept { flag_->store(true, std::memory_order_relaxed); }
    bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }
    void throwIfCancelled() const {
        if (cancelled()) throw Cancelled();
    }
    // throwIfCancelled() and report().
    void step(double fraction, std::string_view stage) {
        throwIfCancelled();
        report(fraction, stage);
    }
    // The flag itself, for code that polls a plain std::atomic<bool>.
    const std::atomic<bool>& cancelFlag() const noexcept { return *flag_; }

  protected:
    // A progress that shares `parent`'s cancellation (sub-ranges, adapters).
    explicit Progress(Progress& parent) : flag_(parent.flag_) {}

  private:
    std::atomic<bool> own_{false};
    std::atomic<bool>* flag_ = &own_;
};

// A part of the parent's work: fractions in [0, 1] map onto [from, to] of the parent's
// range, stages get `prefix` in front; cancelling one cancels both.
class ProgressRange final : public Progress {
  public:
    ProgressRange(Progress& parent, double from, double to, std::string prefix = {});
    void report(double fraction, std::string_view stage) override;

  private:
    Progress& parent_;
    double from_, to_;
    std::string prefix_;
};

// The same operations on an optional progress (nullptr: report nowhere, never cancelled).
inline void report(Progress* p, double fraction, std::string_view stage = {}) {
    if (p) p->report(fraction, stage);
}
inline void step(Progress* p, double fraction, std::string_view stage = {}) {
    if (p) p->step(fraction, stage);
}
inline bool cancelled(const Progress* p) {
    return p && p->cancelled();
}
inline void throwIfCancelled(const Progress* p) {
    if (p) p->throwIfCancelled();
}

// "1 h 02 min", "3 min 05 s", "42 s": the time left of work that has run `elapsed` and is
// at `fraction`; empty while there is too little to go on (under 2 s or 1 %).
std::string etaText(std::chrono::milliseconds elapsed, double fraction);

// The CLI's progress: one line on stderr ("avvp train:  42% epoch 3/60  ETA 1 min 10 s"),
// redrawn in place at most every 100 ms. Quiet when stderr is not a terminal or when the
// user asked for --quiet, so logs and pipes stay clean.
class ProgressLine final : public Progress {
  public:
    // `prefix` starts every line, e.g. "avvp synth". `enabled` false silences it.
    explicit ProgressLine(std::string prefix, bool enabled = true);
    ~ProgressLine() override;

    void report(double fraction, std::string_view stage) override;
    // The same (the name the CLI code reads best with).
    void update(double fraction, const std::string& text = {}) { report(fraction, text); }
    // Ends the line (a newline) if anything was drawn.
    void finish();
    // Erases the line in place (before printing a message; the next update redraws it).
    void clear();

    bool active() const { return enabled_; }

  private:
    std::string prefix_;
    bool enabled_;
    bool drawn_ = false;
    long long lastMs_ = -1000;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// True when stderr is a terminal.
bool stderrIsTerminal();

}  // namespace avvp::core
