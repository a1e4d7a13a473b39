#pragma once
// Shared by the libFuzzer harnesses: the input as a string_view / byte span. A harness
// calls one parser and catches only what the parser documents (core::InputError, or
// std::runtime_error where the API says so); anything else escapes and libFuzzer reports it.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace avvp::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

inline std::span<const std::byte> bytes(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const std::byte*>(data), size};
}

}  // namespace avvp::fuzz
