// sealdesk-mask: masks PII in JSON Lines. Reads {"text": "..."} objects from stdin, one per
// line, and writes one line per input line, in order: the masked text and its findings
// (sdk/pii/json_lines.h), or {"error":{...}} for a line that cannot be masked.
//
//   sealdesk-mask [--config FILE] [--offsets utf16|bytes] < in.jsonl > out.jsonl
//
// --config: a masker config (sdk/pii/masker.h). --offsets: finding offsets in UTF-16 code units
// (default, as in JavaScript) or in UTF-8 bytes. Exit status: 0, or 2 for a bad command line or
// config (the error goes to stderr).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "sdk/pii/json_lines.h"
#include "sdk/pii/masker.h"

namespace {

int usage(const char* message) {
  std::fprintf(stderr, "sealdesk-mask: %s\nusage: sealdesk-mask [--config FILE] [--offsets utf16|bytes]\n", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sealdesk;
  std::string config;
  pii::OffsetUnit unit = pii::OffsetUnit::utf16;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      std::ifstream file(argv[++i], std::ios::binary);
      if (!file) return usage("cannot read the config file");
      std::ostringstream content;
      content << file.rdbuf();
      config = content.str();
    } else if (arg == "--offsets" && i + 1 < argc) {
      const std::string_view value = argv[++i];
      if (value == "utf16") {
        unit = pii::OffsetUnit::utf16;
      } else if (value == "bytes") {
        unit = pii::OffsetUnit::bytes;
      } else {
        return usage("--offsets takes utf16 or bytes");
      }
    } else if (arg == "--help" || arg == "-h") {
      usage("masks PII in JSON Lines from stdin");
      return 0;
    } else {
      return usage("unknown argument");
    }
  }
  auto masker = pii::Masker::create(config);
  if (!masker.ok()) {
    std::fprintf(stderr, "sealdesk-mask: config: %s: %s\n", status_name(masker.status()), masker.error().detail.c_str());
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.clear();
    pii::mask_json_line(masker.value(), line, out, unit);
    out.push_back('\n');
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}
