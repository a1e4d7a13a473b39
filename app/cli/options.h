#pragma once
// A small command-line option parser for the `avvp` subcommands: `--name value`,
// `--name=value` and flags, with one-line errors.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace avvp::app {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Options {
  public:
    // `valued` options take a value, `flags` take none; anything else is an error, and so
    // are arguments that are no option unless `positionals` allows them.
    Options(int argc, char** argv, const std::set<std::string>& valued,
            const std::set<std::string>& flags, bool positionals = false);

    bool has(const std::string& name) const { return values_.contains(name); }
    std::optional<std::string> get(const std::string& name) const;
    std::string require(const std::string& name) const;
    std::string get(const std::string& name, const std::string& fallback) const;
    bool help() const { return help_; }
    const std::vector<std::string>& positional() const { return positional_; }

  private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
    bool help_ = false;
};

}  // namespace avvp::app
