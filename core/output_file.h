#pragma once
// Output files written whole or not at all (POSIX; no Qt): the one place where the CLI, the
// models and core's own writers (writeNpy, writeWeakLabels, writeDenseLabels) replace a file.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

namespace avvp::core {

// An output file written in full or not at all: the text goes to a temporary file beside
// the target (".<name>.tmp-XXXXXX", same folder, so same file system), which commit()
// flushes, syncs to disk (fsync) and renames onto the target; until then the target keeps
// its old content (or does not exist), and the temporary is removed when the object goes
// away uncommitted (a writer that throws, a full disk). A target that exists and is no
// regular file (/dev/stdout, a pipe) is written directly; a symbolic link is followed (the
// file it names is replaced). Throws core::InputError naming the target.
class OutputFile {
  public:
    explicit OutputFile(const std::filesystem::path& path);
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    std::ostream& stream() { return out_; }

    // Flushes, syncs and renames onto the target; throws core::InputError (the temporary
    // removed, the target unchanged) when any step fails.
    void commit();

  private:
    void discard();

    std::string path_, target_, temp_;
    int fd_ = -1;
    std::ofstream out_;
};

// Writes a file with `writer(std::ostream&)` through an OutputFile: the target is replaced
// only once the whole text is written and on disk; a writer that throws or a write that
// fails leaves the target as it was and no partial or temporary file. Throws
// core::InputError when it cannot write.
template <class Writer>
void writeFileWith(const std::filesystem::path& path, const Writer& writer) {
    OutputFile out(path);
    writer(out.stream());
    out.commit();
}

}  // namespace avvp::core
