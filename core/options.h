#pragma once
// A small command-line option parser for the `avvp` subcommands (the CLI and its plugins):
// `--name value`, `--name=value`, flags and, where a command allows them, positional
// arguments, with one-line errors.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace avvp::core {

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
    // Numeric values; a value that is not a whole number / a number in [min, max] throws
    // UsageError naming the option.
    long getInt(const std::string& name, long fallback, long min, long max) const;
    double getDouble(const std::string& name, double fallback, double min, double max) const;
    bool help() const { return help_; }
    const std::vector<std::string>& positional() const { return positional_; }

  private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
    bool help_ = false;
};

}  // namespace avvp::core
