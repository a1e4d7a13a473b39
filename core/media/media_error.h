#pragma once
// Errors of the media layer. Every failure on a user's file is a MediaError: an
// InputError (so the CLI and GUI print "<file>: <reason>" as for any bad input) that also
// says which class of problem it is, so callers and tests can tell them apart.
#include <string>

#include "core/error.h"

namespace avvp::media {

enum class MediaErrorKind {
    Missing,          // no such file, or not a regular file
    Unreadable,       // exists but cannot be read (permissions, I/O error)
    Empty,            // zero bytes
    NotMedia,         // FFmpeg recognises no container format in it
    Corrupt,          // container or stream data FFmpeg cannot make sense of
    Truncated,        // the file ends before its streams do (reported when nothing decodes)
    Unsupported,      // a stream whose codec this FFmpeg build cannot decode or encode
    NoVideo,          // video was asked for but the file has no video stream
    NoAudio,          // audio was asked for but the file has no audio stream
    InvalidArgument,  // a request that makes no sense (size, rate, layout, ...)
    Write,            // creating or writing an output file failed
};

// "missing", "not media", ... for messages and tests.
const char* mediaErrorKindName(MediaErrorKind kind);

class MediaError : public core::InputError {
  public:
    MediaError(MediaErrorKind kind, std::string file, std::string reason)
        : core::InputError(std::move(file), 0, std::move(reason)), kind_(kind) {}
    MediaErrorKind kind() const noexcept { return kind_; }

  private:
    MediaErrorKind kind_;
};

}  // namespace avvp::media
