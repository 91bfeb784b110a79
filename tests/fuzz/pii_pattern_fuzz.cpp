// libFuzzer: arbitrary bytes as a host-rule pattern (up to the first NUL) and a text to scan
// (the rest). Compilation must fail cleanly or produce a VM whose matches are non-empty,
// ordered, inside the text and at most kMaxMatchBytes long.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "sdk/pii/pattern.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sealdesk::pii::detail::kMaxMatchBytes;
  using sealdesk::pii::detail::Pattern;
  const auto* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  const size_t pattern_len = nul == nullptr ? size : static_cast<size_t>(nul - data);
  const std::string_view pattern(reinterpret_cast<const char*>(data), pattern_len);
  const std::string_view text = nul == nullptr ? std::string_view()
                                               : std::string_view(reinterpret_cast<const char*>(nul + 1), size - pattern_len - 1);
  for (bool ignore_case : {false, true}) {
    auto compiled = Pattern::compile(pattern, ignore_case);
    if (!compiled.ok()) continue;
    // After an accepted match the next starts at or after its end; after a rejected one,
    // strictly after its start.
    uint32_t min_start = 0;
    compiled.value().find_all(text, [&](uint32_t start, uint32_t end) {
      if (start < min_start || end <= start || end > text.size() || end - start > kMaxMatchBytes) __builtin_trap();
      const bool accept = (start & 1) == 0;  // also exercise the reject-and-resume path
      min_start = accept ? end : start + 1;
      return accept;
    });
  }
  return 0;
}
