#pragma once
// A one-line progress report on stderr for long CLI work ("avvp train: epoch 3/60  42%"),
// redrawn in place. Quiet when stderr is not a terminal or when the user asked for
// --quiet, so logs and pipes stay clean.
#include <string>

namespace avvp::core {

class ProgressLine {
  public:
    // `prefix` starts every line, e.g. "avvp synth". `enabled` false silences it.
    explicit ProgressLine(std::string prefix, bool enabled = true);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    // Redraws the line with a fraction in [0, 1] and a short text; cheap to call often
    // (redraws at most every 100 ms, and always at 100 %).
    void update(double fraction, const std::string& text = {});
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
};

// True when stderr is a terminal.
bool stderrIsTerminal();

}  // namespace avvp::core
