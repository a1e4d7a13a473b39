#include "core/error.h"

#include <utility>

namespace avvp::core {

namespace {
std::string compose(const std::string& file, long line, const std::string& reason) {
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
    out += reason;
    return out;
}
}  // namespace

InputError::InputError(std::string file, long line, std::string reason)
    : std::runtime_error(compose(file, line, reason)),
      file_(std::move(file)),
      line_(line),
      reason_(std::move(reason)) {}

}  // namespace avvp::core
