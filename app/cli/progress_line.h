#pragma once
// A one-line progress display on stderr for long CLI work: redrawn in place on a
// terminal, silent when stderr is not a terminal or when quiet.
#include <chrono>
#include <string>

namespace avvp::app {

class ProgressLine {
  public:
    ProgressLine(std::string label, long total, bool quiet);
    ~ProgressLine();
    // `done` units of `total` finished; `what` names the current unit.
    void update(long done, const std::string& what);
    // Clears the line (before printing something else, and at the end).
    void clear();
    bool active() const { return active_; }

  private:
    std::string label_;
    long total_;
    bool active_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point lastDraw_{};
};

}  // namespace avvp::app
