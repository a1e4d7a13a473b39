#pragma once
// Splitting of tab-separated text with a header line, shared by the LLP readers: UTF-8
// validation, BOM and CRLF tolerance, header-to-column mapping, and errors that name
// file and line.
#include <string>
#include <string_view>
#include <vector>

namespace avvp::core {

// Throws InputError (file:line) at the first byte sequence that is not valid UTF-8.
void requireUtf8(std::string_view text, const std::string& name);

class TsvTable {
  public:
    // Parses the header; `required` column names must each appear exactly once (in any
    // order; extra named columns are allowed and ignored).
    TsvTable(std::string_view text, std::string name, const std::vector<std::string>& required);

    // Whether the header names this column.
    bool hasColumn(std::string_view name) const;

    // Advances to the next non-blank data line; false at the end. The fields are checked
    // against the header's column count.
    bool next();
    // Field of the current line by the position of required column i.
    std::string_view field(std::size_t requiredIndex) const;
    long line() const { return line_; }
    const std::string& name() const { return name_; }
    [[noreturn]] void fail(const std::string& reason) const;

  private:
    std::string_view rest_;
    std::string name_;
    long line_ = 0;
    std::size_t columns_ = 0;
    std::vector<std::size_t> positions_;
    std::vector<std::string> header_;
    std::vector<std::string_view> fields_;
};

}  // namespace avvp::core
