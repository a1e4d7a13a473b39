#pragma once
// The one exception type for bad user input: it names the file, the line (0 when the
// problem is not tied to a line) and the reason, so every front end can turn it into a
// single clear sentence.
#include <stdexcept>
#include <string>

namespace avvp::core {

class InputError : public std::runtime_error {
  public:
    InputError(std::string file, long line, std::string reason);

    const std::string& file() const noexcept { return file_; }
    long line() const noexcept { return line_; }
    const std::string& reason() const noexcept { return reason_; }

  private:
    std::string file_;
    long line_;
    std::string reason_;
};

}  // namespace avvp::core
